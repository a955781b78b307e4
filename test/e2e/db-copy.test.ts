import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { freshDatabase } from '../support/postgres.js';
import { runCli, tempCwd } from '../support/cli.js';

describe('ffe db: a SQLite installation moved to PostgreSQL', () => {
  it('copies every table with matching counts, refuses a non-empty target, and FFE then runs on PostgreSQL', async () => {
    const cwd = tempCwd('ffe-db-copy-');
    const env = { FFE_HOME: join(cwd, 'home') };
    for (const pair of ['BTCUSD', 'ETHUSD']) expect((await runCli(['analyze', pair, '--json'], { cwd, env })).code).toBe(0);
    const sqliteUrl = `sqlite:${join(cwd, 'home', 'ffe.db')}`;
    const pg = new URL(await freshDatabase(inject('services').postgres, 'ffe_copy'));
    pg.password = 'masked-in-output';

    const status = await runCli(['db', 'status', '--url', sqliteUrl], { cwd, env });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/engine: sqlite/);

    const copy = await runCli(['db', 'copy', '--from', sqliteUrl, '--to', pg.toString(), '--json'], { cwd, env });
    expect(copy.stderr).toBe('');
    expect(copy.code).toBe(0);
    expect(copy.stdout).not.toContain('masked-in-output');
    const r = JSON.parse(copy.stdout) as { tables: { table: string; source: number; target: number }[] };
    const decisions = r.tables.find((t) => t.table === 'decisions')!;
    expect(decisions.source).toBe(2);
    expect(decisions.target).toBe(2);
    for (const t of r.tables) expect(t.target, t.table).toBe(t.source);

    const again = await runCli(['db', 'copy', '--from', sqliteUrl, '--to', pg.toString()], { cwd, env });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds rows .*--force/);

    const pgEnv = { ...env, DATABASE_URL: pg.toString() };
    const pgStatus = await runCli(['db', 'status'], { cwd, env: pgEnv });
    expect(pgStatus.code).toBe(0);
    expect(pgStatus.stdout).toMatch(/engine: postgres/);
    expect(pgStatus.stdout).toMatch(/0 pending/);
    expect(pgStatus.stdout).not.toContain('masked-in-output');
    expect((await runCli(['db', 'migrate'], { cwd, env: pgEnv })).stdout).toMatch(/up to date/);

    const analyzed = await runCli(['analyze', 'BTCUSD', '--json'], { cwd, env: pgEnv });
    expect(analyzed.stderr).toBe('');
    expect(analyzed.code).toBe(0);
    const history = await runCli(['history', '--json'], { cwd, env: pgEnv });
    expect(history.code).toBe(0);
    expect(JSON.stringify(JSON.parse(history.stdout)).match(/"assetPair"/g)?.length).toBeGreaterThanOrEqual(3);
    expect((await runCli(['status'], { cwd, env: pgEnv })).code).toBe(0);
  }, 120_000);

  it('an unreachable database.url is one line naming the key, without the password', async () => {
    const cwd = tempCwd('ffe-db-bad-');
    const r = await runCli(['status'], { cwd, env: { FFE_HOME: join(cwd, 'home'), DATABASE_URL: 'postgres://ffe:hunter22@127.0.0.1:1/ffe' } });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/database\.url postgres:\/\/ffe:\*\*\*@127\.0\.0\.1:1\/ffe/);
    expect(r.stderr).not.toContain('hunter22');
  });
});
