import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { runCli, tempCwd } from '../support/cli.js';
import { freshDatabase } from '../support/postgres.js';

/** Every table of a PostgreSQL store, rows sorted, so two stores compare row by row. */
async function dumpTables(url: string): Promise<Record<string, string[]>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const names = (await c.query<{ t: string }>('SELECT tablename AS t FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename')).rows.map((r) => r.t);
    const out: Record<string, string[]> = {};
    for (const n of names) out[n] = (await c.query(`SELECT * FROM "${n}"`)).rows.map((r) => JSON.stringify(r)).sort();
    return out;
  } finally {
    await c.end();
  }
}

describe('e2e: ffe backup on a PostgreSQL store (the test setup’s server)', () => {
  it('round-trips a populated store into a fresh database, every table equal row by row', { timeout: 300_000 }, async () => {
    const src = await freshDatabase(inject('services').postgres, 'ffe_bk_src');
    const dst = await freshDatabase(inject('services').postgres, 'ffe_bk_dst');
    const cwd = tempCwd('ffe-backup-pg-');
    const run = async (args: string[], url: string) => {
      const r = await runCli(args, { cwd, env: { DATABASE_URL: url }, timeoutMs: 120_000 });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      return r.stdout;
    };
    await run(['user', 'create', 'alice', '--role', 'admin'], src);
    await run(['apikey', 'create', '--name', 'ops', '--role', 'viewer'], src);
    const made = JSON.parse(await run(['backup', 'create', '--json', '--out', cwd], src)) as { file: string; engine: string; source: string };
    expect(made.engine).toBe('postgres');
    expect(made.source).not.toContain(new URL(src).password || '\u0000');
    await run(['backup', 'verify', made.file], src);
    await run(['user', 'create', 'dora', '--role', 'viewer'], dst);
    const restored = await run(['backup', 'restore', made.file], dst);
    expect(restored).toMatch(/previous store kept as .*postgres-before-restore-/);
    const original = await dumpTables(src);
    const copy = await dumpTables(dst);
    expect(Object.keys(copy)).toEqual(Object.keys(original));
    for (const t of Object.keys(original)) expect(copy[t], `table ${t}`).toEqual(original[t]);
    expect(original.auth_users.length).toBe(1);
    expect(original.auth_api_keys.length).toBe(1);
  });
});
