import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { create, extract } from 'tar';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempCwd } from '../support/cli.js';
import { startServe } from '../support/serve.js';

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Every table's rows (SQLite internals aside), each table's rows sorted, so two stores compare row by row. */
function dumpTables(file: string): Record<string, string[]> {
  const db = new Database(file, { readonly: true });
  try {
    const names = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
    return Object.fromEntries(names.map((n) => [n, (db.prepare(`SELECT * FROM "${n}"`).all() as unknown[]).map((r) => JSON.stringify(r)).sort()]));
  } finally {
    db.close();
  }
}

async function ok(args: string[], cwd: string, env?: Record<string, string>): Promise<string> {
  const r = await runCli(args, { cwd, env, timeoutMs: 120_000 });
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

/** A copy of `file` with its members rewritten by `edit` (the way someone tampering with it would). */
async function tampered(file: string, edit: (dir: string) => void): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'ffe-tamper-'));
  await extract({ file, cwd: dir });
  edit(dir);
  const out = join(mkdtempSync(join(tmpdir(), 'ffe-tampered-')), 'ffe-backup-20261206T000000000Z.tar.gz');
  await create({ gzip: true, file: out, cwd: dir }, readdirSync(dir));
  return out;
}

const SECRET = 'av-secret-key-0123456789'; // credential-scan: allow (a deliberate fake)

describe('e2e: ffe backup (built CLI, real files and processes)', () => {
  let cwd: string;
  let backup: string;

  beforeAll(async () => {
    cwd = tempCwd('ffe-backup-e2e-');
    // A populated store: a decision executed on paper (decisions, orders, fills, positions, events,
    // audit), users and API keys, an emergency stop (agent state, kill switch).
    const { id } = JSON.parse(await ok(['analyze', 'ETHUSD', '--json'], cwd)) as { id: string };
    await ok(['execute', id, '--yes'], cwd);
    await ok(['analyze', 'BTCUSD'], cwd);
    await ok(['user', 'create', 'alice', '--role', 'admin'], cwd);
    await ok(['apikey', 'create', '--name', 'ops', '--role', 'viewer'], cwd);
    await ok(['agent', 'emergency-stop', '--reason', 'drill', '--by', 'oncall'], cwd);
    const out = JSON.parse(await ok(['backup', 'create', '--json'], cwd, { ALPHA_VANTAGE_API_KEY: SECRET })) as { file: string; rows: number; tables: Record<string, number> };
    backup = out.file;
    expect(backup.startsWith(join(cwd, 'data', 'backups'))).toBe(true);
    expect(out.tables.decisions).toBe(2);
    expect(statSync(backup).mode & 0o777).toBe(0o600);
  }, 600_000);

  it('round-trips a populated store: restored into a fresh data home, every table equals the original row by row', { timeout: 180_000 }, async () => {
    const verified = await ok(['backup', 'verify', backup], cwd);
    expect(verified).toMatch(/^backup OK: .*\ntaken .* by ffe .*, sqlite, \d+ migrations, \d+ tables, \d+ rows, 2 members checked, config secrets excluded\n$/);

    const fresh = tempCwd('ffe-restore-e2e-');
    const restored = await ok(['backup', 'restore', backup], fresh);
    expect(restored).toContain(`into ${join(fresh, 'data', 'ffe.db')}`);
    expect(restored).toContain('there was no previous store');
    const original = dumpTables(join(cwd, 'data', 'ffe.db'));
    const copy = dumpTables(join(fresh, 'data', 'ffe.db'));
    expect(Object.keys(copy)).toEqual(Object.keys(original));
    for (const t of Object.keys(original)) expect(copy[t], `table ${t}`).toEqual(original[t]);
    // The populated tables are really populated (the comparison is not of empty stores).
    for (const t of ['decisions', 'order_intents', 'paper_fills', 'events', 'audit_log', 'auth_users', 'auth_api_keys', 'agent_state']) expect(original[t]?.length, t).toBeGreaterThan(0);
    // The restored store works for ffe itself.
    expect(await ok(['history', '--json'], fresh)).toContain('ETHUSD');
  });

  it('masks secrets in the config copy unless --include-secrets', { timeout: 120_000 }, async () => {
    const configOf = async (file: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'ffe-cfg-'));
      await extract({ file, cwd: dir });
      return readFileSync(join(dir, 'config.yaml'), 'utf8');
    };
    const masked = await configOf(backup);
    expect(masked).not.toContain(SECRET);
    expect(masked).toMatch(/api_key: "\*\*\*"/);
    const withSecrets = JSON.parse(await ok(['backup', 'create', '--include-secrets', '--json', '--out', join(cwd, 'with-secrets')], cwd, { ALPHA_VANTAGE_API_KEY: SECRET })) as { file: string; config_secrets: string };
    expect(withSecrets.config_secrets).toBe('included');
    expect(await configOf(withSecrets.file)).toContain(SECRET);
    // --with-config writes the backup's config where asked, and refuses to overwrite without --force.
    const fresh = tempCwd('ffe-restore-config-');
    await ok(['backup', 'restore', withSecrets.file, '--with-config', 'restored.yaml'], fresh);
    expect(readFileSync(join(fresh, 'restored.yaml'), 'utf8')).toContain(SECRET);
    const again = await runCli(['backup', 'restore', withSecrets.file, '--with-config', 'restored.yaml'], { cwd: fresh });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^ffe: --with-config .*restored\.yaml exists; pass --force to overwrite it\n$/);
  });

  describe('a corrupted or tampered backup is refused before anything is overwritten', () => {
    const cases: [string, () => Promise<string>, RegExp][] = [
      [
        'a flipped byte in the database member',
        () =>
          tampered(backup, (dir) => {
            const db = readFileSync(join(dir, 'ffe.db'));
            db[Math.floor(db.length / 2)] ^= 0xff;
            writeFileSync(join(dir, 'ffe.db'), db);
          }),
        /^ffe: member ffe\.db: sha256 mismatch \(altered or damaged\)\n$/,
      ],
      [
        'an edited manifest',
        () =>
          tampered(backup, (dir) => {
            const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { tables: Record<string, number> };
            m.tables.decisions = 3;
            writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m));
          }),
        /^ffe: manifest\.json digest mismatch: the manifest was edited or damaged\n$/,
      ],
      [
        'a truncated archive',
        async () => {
          const dir = mkdtempSync(join(tmpdir(), 'ffe-trunc-'));
          const copy = join(dir, 'ffe-backup-20261206T000000000Z.tar.gz');
          writeFileSync(copy, readFileSync(backup));
          truncateSync(copy, Math.floor(statSync(copy).size / 2));
          return copy;
        },
        /^ffe: archive .* is unreadable \(truncated, damaged or not an ffe backup\): .*\n$/,
      ],
    ];
    for (const [what, make, message] of cases) {
      it(`${what}: verify names it, restore refuses and leaves the target byte-identical`, { timeout: 120_000 }, async () => {
        const bad = await make();
        const v = await runCli(['backup', 'verify', bad], { cwd });
        expect(v.code).toBe(1);
        expect(v.stderr).toMatch(message);
        // The target: a populated store of its own.
        const target = tempCwd('ffe-restore-target-');
        await ok(['user', 'create', 'bob', '--role', 'viewer'], target);
        const before = sha(join(target, 'data', 'ffe.db'));
        const listing = readdirSync(join(target, 'data')).sort();
        const r = await runCli(['backup', 'restore', bad], { cwd: target });
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(message);
        expect(sha(join(target, 'data', 'ffe.db'))).toBe(before);
        expect(readdirSync(join(target, 'data')).sort()).toEqual(listing);
      });
    }
  });

  it("refuses to restore over a running instance's store (a process with it open, an unexpired lease) unless --force", { timeout: 180_000 }, async () => {
    const target = tempCwd('ffe-restore-live-');
    await ok(['user', 'create', 'carol', '--role', 'viewer'], target);
    const store = join(target, 'data', 'ffe.db');
    const served = await startServe(target);
    try {
      // A backup of a store in use is an online snapshot: taken while ffe serve has it open, it verifies.
      const live = JSON.parse(await ok(['backup', 'create', '--json', '--out', join(target, 'live')], target)) as { file: string; tables: Record<string, number> };
      expect(live.tables.auth_users).toBe(1);
      await ok(['backup', 'verify', live.file], target);
      const before = sha(store);
      const r = await runCli(['backup', 'restore', backup], { cwd: target });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^ffe: the store .*ffe\\.db is in use \\(.*process ${served.child.pid}.*\\): stop the instance first, or pass --force\\n$`));
      expect(sha(store)).toBe(before);
    } finally {
      served.child.kill('SIGTERM');
      await served.exited;
    }
    // No process now, but a lease that has not expired (an instance that may come back at once).
    const db = new Database(store);
    db.prepare('INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)').run('trading', 'host-a:4242', Date.now() + 3_600_000);
    db.close();
    const leased = await runCli(['backup', 'restore', backup], { cwd: target });
    expect(leased.code).toBe(1);
    expect(leased.stderr).toBe(`ffe: the store ${store} is in use (lease trading held by host-a:4242): stop the instance first, or pass --force\n`);

    const forced = await ok(['backup', 'restore', backup, '--force'], target);
    expect(forced).toContain('--force: restored over a store in use (lease trading held by host-a:4242)');
    const kept = /previous store kept as (\S+) /.exec(forced)![1];
    // The previous store is kept intact beside it (the undo), and the restored one is the backup's.
    expect(dumpTables(kept).auth_users.some((u) => u.includes('carol'))).toBe(true);
    expect(dumpTables(store).auth_users.some((u) => u.includes('carol'))).toBe(false);
    expect(dumpTables(store).decisions).toEqual(dumpTables(join(cwd, 'data', 'ffe.db')).decisions);
    expect(existsSync(`${store}-wal`)).toBe(false);
  });

  it('retention: create removes backups older than backup.retention_days from its folder, keeps newer ones and other files', { timeout: 120_000 }, async () => {
    const dir = join(cwd, 'retention');
    mkdirSync(dir);
    const day = 86_400_000;
    const named = (ms: number) => `ffe-backup-${new Date(ms).toISOString().replace(/[-:.]/g, '')}.tar.gz`;
    const old = [named(Date.now() - 30 * day), named(Date.now() - 8 * day)];
    const recent = named(Date.now() - 2 * day);
    for (const n of [...old, recent, 'notes.txt']) writeFileSync(join(dir, n), 'x');
    const out = await ok(['backup', 'create', '--out', dir], cwd);
    for (const n of old) expect(out).toContain(`removed ${n} (older than retention)`);
    const left = readdirSync(dir);
    for (const n of old) expect(left).not.toContain(n);
    expect(left).toContain(recent);
    expect(left).toContain('notes.txt');
    expect(left.filter((n) => n.startsWith('ffe-backup-')).length).toBe(2);
    expect(left.some((n) => n.startsWith('.'))).toBe(false);

    // `prune --keep-days` with a shorter window; `list` shows what is left.
    const pruned = await ok(['backup', 'prune', '--dir', dir, '--keep-days', '1'], cwd);
    expect(pruned).toContain(`removed ${recent}`);
    const list = JSON.parse(await ok(['backup', 'list', dir, '--json'], cwd)) as { name: string }[];
    expect(list.length).toBe(1);
  });
});
