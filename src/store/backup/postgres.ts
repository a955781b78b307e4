import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import pg from 'pg';
import { FfeError } from '../../core/errors.js';
import type { BackupEngine, DumpSummary } from './engine.js';

const run = promisify(execFile);

/** pg_dump / pg_restore of the newest installed PostgreSQL (Debian: /usr/lib/postgresql/<v>/bin), else from PATH. pg_dump must be at least the server's version. */
function tool(name: 'pg_dump' | 'pg_restore'): string {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', name)))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length) return join(root, versions[0], 'bin', name);
  }
  return name;
}

/** The URL without its password (the password goes through PGPASSWORD, never onto a command line that `ps` shows). */
function connection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function tool_(name: 'pg_dump' | 'pg_restore', args: string[], url?: string): Promise<string> {
  const conn = url ? connection(url) : { dbname: '', env: process.env };
  try {
    const { stdout } = await run(tool(name), url ? [...args, `--dbname=${conn.dbname}`] : args, { env: conn.env, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new FfeError('runtime', 'BACKUP_CORRUPT', `${name} failed: ${(err.stderr || err.message).trim().split('\n')[0]}`);
  }
}

/**
 * Row counts of a custom-format dump, read from its data stream: pg_restore writes each table's
 * rows as a COPY block, one line per row (newlines inside values are escaped). Reading the whole
 * stream also decompresses every block, so a damaged one fails here.
 */
async function countRows(dumpFile: string): Promise<Record<string, number>> {
  const child = spawn(tool('pg_restore'), ['--data-only', '--file=-', dumpFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const counts: Record<string, number> = {};
  let table: string | null = null;
  for await (const line of createInterface({ input: child.stdout })) {
    if (table === null) {
      const m = /^COPY (?:"?[\w$]+"?\.)?"?([\w$]+)"? .*FROM stdin;$/.exec(line);
      if (m) counts[(table = m[1])] = 0;
    } else if (line === '\\.') table = null;
    else counts[table]++;
  }
  const code = await new Promise<number | null>((r) => child.on('close', r));
  if (code !== 0) throw new FfeError('runtime', 'BACKUP_CORRUPT', `pg_restore cannot read the dump: ${stderr.trim().split('\n')[0]}`);
  return counts;
}

export const postgresBackupEngine: BackupEngine = {
  name: 'postgres',
  member: 'ffe.pgdump',

  async dump(url, dest) {
    // Counts and pg_dump share one exported snapshot, so the manifest describes exactly what was dumped.
    return withClient(url, async (c) => {
      await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        const snapshot = (await c.query<{ s: string }>('SELECT pg_export_snapshot() AS s')).rows[0].s;
        const names = (await c.query<{ t: string }>('SELECT tablename AS t FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename')).rows.map((r) => r.t);
        const tables: Record<string, number> = {};
        for (const t of names) tables[t] = Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM "${t.replaceAll('"', '""')}"`)).rows[0].n);
        const migrations = names.includes('kysely_migration') ? (await c.query<{ name: string }>('SELECT name FROM kysely_migration ORDER BY timestamp, name')).rows.map((r) => r.name) : [];
        await tool_('pg_dump', ['--format=custom', `--snapshot=${snapshot}`, '--no-owner', `--file=${dest}`], url);
        return { tables, migrations } satisfies DumpSummary;
      } finally {
        await c.query('COMMIT');
      }
    });
  },

  async inspect(dumpFile) {
    // The table of contents first (a file that is no dump at all fails with a clear message), then every row.
    await tool_('pg_restore', ['--list', dumpFile]);
    const found = await countRows(dumpFile);
    // A table with no rows still has its COPY block; the migration list is in the manifest already.
    return { tables: found, migrations: [] };
  },

  async usersOf(url) {
    return withClient(url, async (c) => {
      const users: string[] = [];
      const hasLeases = (await c.query(`SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'leases'`)).rowCount;
      if (hasLeases) {
        const rows = (await c.query<{ name: string; holder: string }>('SELECT name, holder FROM leases WHERE expires_at > $1', [Date.now()])).rows;
        users.push(...rows.map((r) => `lease ${r.name} held by ${r.holder}`));
      }
      // Every other session on the database: an instance connected to it would keep writing.
      const sessions = (
        await c.query<{ pid: number; app: string | null; addr: string | null }>(
          `SELECT pid, application_name AS app, client_addr::text AS addr FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
        )
      ).rows;
      users.push(...sessions.map((s) => `session ${s.pid}${s.app ? ` (${s.app})` : ''}${s.addr ? ` from ${s.addr}` : ''}`));
      return users;
    });
  },

  async restore(dumpFile, url, keepPrevious) {
    await tool_('pg_dump', ['--format=custom', '--no-owner', `--file=${keepPrevious}`], url);
    // One transaction: the database holds either the old data or the restored data, never a mixture.
    await tool_('pg_restore', ['--clean', '--if-exists', '--no-owner', '--single-transaction', '--exit-on-error', dumpFile], url);
    return { previous: keepPrevious };
  },
};
