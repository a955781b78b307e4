import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresBackupEngine as engine } from './postgres.js';

/**
 * The PostgreSQL backup engine against a real, throwaway PostgreSQL started here (Debian's
 * postgresql; the test setup's shared service replaces this once the PostgreSQL store lands).
 * initdb refuses root, so the server runs as `nobody` when the tests run as root.
 */
const ROOT = '/usr/lib/postgresql';
const bin = existsSync(ROOT)
  ? readdirSync(ROOT)
      .map((v) => join(ROOT, v, 'bin'))
      .find((b) => existsSync(join(b, 'initdb')))
  : undefined;
const asServer = (cmd: string, args: string[]) => (process.getuid?.() === 0 ? execFileSync('runuser', ['-u', 'nobody', '--', cmd, ...args], { stdio: 'pipe' }) : execFileSync(cmd, args, { stdio: 'pipe' }));

describe.skipIf(!bin)('PostgreSQL backup engine (pg_dump / pg_restore, real server)', () => {
  let dir: string;
  const port = 20000 + (process.pid % 20000);
  const url = (db: string) => `postgres://postgres@127.0.0.1:${port}/${db}`;
  const query = async <T extends pg.QueryResultRow>(db: string, text: string, values?: unknown[]) => {
    const c = new pg.Client({ connectionString: url(db) });
    await c.connect();
    try {
      return (await c.query<T>(text, values)).rows;
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ffe-pg-backup-'));
    if (process.getuid?.() === 0) chownSync(dir, 65534, 65534);
    asServer(join(bin!, 'initdb'), ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust']);
    asServer(join(bin!, 'pg_ctl'), ['-D', join(dir, 'data'), '-w', '-l', join(dir, 'log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start']);
    for (const db of ['src', 'dst']) await query('postgres', `CREATE DATABASE ${db}`);
    await query('src', `CREATE TABLE kysely_migration (name text PRIMARY KEY, timestamp text NOT NULL)`);
    await query('src', `INSERT INTO kysely_migration VALUES ('001-foundation', '2026-01-01'), ('005-decision-summaries', '2026-01-02')`);
    await query('src', `CREATE TABLE leases (name text PRIMARY KEY, holder text NOT NULL, expires_at bigint NOT NULL)`);
    await query('src', `CREATE TABLE decisions (id text PRIMARY KEY, record jsonb NOT NULL, note text)`);
    await query('src', `INSERT INTO decisions SELECT 'D' || g, jsonb_build_object('n', g), CASE WHEN g % 7 = 0 THEN E'two\\nlines' END FROM generate_series(1, 500) g`);
    await query('src', `CREATE TABLE empty_one (x int)`);
  }, 120_000);

  afterAll(() => {
    if (!dir) return;
    spawnSync(
      process.getuid?.() === 0 ? 'runuser' : join(bin!, 'pg_ctl'),
      process.getuid?.() === 0 ? ['-u', 'nobody', '--', join(bin!, 'pg_ctl'), '-D', join(dir, 'data'), '-m', 'immediate', 'stop'] : ['-D', join(dir, 'data'), '-m', 'immediate', 'stop'],
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it('dumps a consistent snapshot, reads the row counts back from the dump, and restores it table for table', { timeout: 120_000 }, async () => {
    const file = join(dir, 'ffe.pgdump');
    const dumped = await engine.dump(url('src'), file);
    expect(dumped).toEqual({ tables: { decisions: 500, empty_one: 0, kysely_migration: 2, leases: 0 }, migrations: ['001-foundation', '005-decision-summaries'] });
    expect((await engine.inspect(file)).tables).toEqual(dumped.tables);

    await query('dst', `CREATE TABLE decisions (id text PRIMARY KEY, record jsonb NOT NULL, note text)`);
    await query('dst', `INSERT INTO decisions VALUES ('OLD', '{}', null)`);
    const keep = join(dir, 'before.pgdump');
    expect(await engine.restore(file, url('dst'), keep)).toEqual({ previous: keep });
    for (const t of ['decisions', 'kysely_migration', 'leases', 'empty_one']) {
      expect(await query('dst', `SELECT * FROM ${t} ORDER BY 1`), t).toEqual(await query('src', `SELECT * FROM ${t} ORDER BY 1`));
    }
    // The replaced data is kept as a dump of its own.
    expect((await engine.inspect(keep)).tables).toEqual({ decisions: 1 });
  });

  it('names who uses the database: an unexpired lease, another session', { timeout: 60_000 }, async () => {
    expect(await engine.usersOf(url('src'))).toEqual([]);
    await query('src', `INSERT INTO leases VALUES ('trading', 'host-a:1', $1)`, [Date.now() + 3_600_000]);
    const other = new pg.Client({ connectionString: url('src'), application_name: 'ffe-serve' });
    await other.connect();
    try {
      const users = await engine.usersOf(url('src'));
      expect(users[0]).toBe('lease trading held by host-a:1');
      expect(users.slice(1).some((u) => /^session \d+ \(ffe-serve\) from 127\.0\.0\.1/.test(u))).toBe(true);
    } finally {
      await other.end();
      await query('src', `DELETE FROM leases`);
    }
  });

  it('a damaged dump is refused by inspect', { timeout: 60_000 }, async () => {
    const bogus = join(dir, 'bogus.pgdump');
    execFileSync('sh', ['-c', `head -c 300 ${join(dir, 'ffe.pgdump')} > ${bogus}`]);
    await expect(engine.inspect(bogus)).rejects.toThrow(/^pg_restore/);
  });
});
