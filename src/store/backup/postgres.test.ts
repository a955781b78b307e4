import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { freshDatabase } from '../../../test/support/postgres.js';
import { postgresBackupEngine as engine } from './postgres.js';

/** The PostgreSQL backup engine against the test setup's real PostgreSQL, on databases of its own. */
describe('PostgreSQL backup engine (pg_dump / pg_restore, real server)', () => {
  let dir: string;
  const urls: Record<string, string> = {};
  const url = (db: 'src' | 'dst') => urls[db];
  const query = async <T extends pg.QueryResultRow>(db: 'src' | 'dst', text: string, values?: unknown[]) => {
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
    for (const db of ['src', 'dst'] as const) urls[db] = await freshDatabase(inject('services').postgres, `ffe_bke_${db}`);
    await query('src', `CREATE TABLE kysely_migration (name text PRIMARY KEY, timestamp text NOT NULL)`);
    await query('src', `INSERT INTO kysely_migration VALUES ('001-foundation', '2026-01-01'), ('005-decision-summaries', '2026-01-02')`);
    await query('src', `CREATE TABLE leases (name text PRIMARY KEY, holder text NOT NULL, expires_at bigint NOT NULL)`);
    await query('src', `CREATE TABLE decisions (id text PRIMARY KEY, record jsonb NOT NULL, note text)`);
    await query('src', `INSERT INTO decisions SELECT 'D' || g, jsonb_build_object('n', g), CASE WHEN g % 7 = 0 THEN E'two\\nlines' END FROM generate_series(1, 500) g`);
    await query('src', `CREATE TABLE empty_one (x int)`);
  }, 120_000);

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
