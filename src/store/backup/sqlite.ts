import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readlinkSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { FfeError } from '../../core/errors.js';
import type { BackupEngine, DumpSummary } from './engine.js';

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Tables of a SQLite file (SQLite's own `sqlite_*` tables excluded) with their row counts. */
function summarize(db: Database.Database): DumpSummary {
  const names = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
  const tables: Record<string, number> = {};
  for (const n of names) tables[n] = (db.prepare(`SELECT count(*) AS c FROM ${quote(n)}`).get() as { c: number }).c;
  const migrations = names.includes('kysely_migration') ? (db.prepare('SELECT name FROM kysely_migration ORDER BY timestamp, name').all() as { name: string }[]).map((r) => r.name) : [];
  return { tables, migrations };
}

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Takes a consistent copy of a live SQLite file through the online backup API (never a file copy, which can tear mid-write or miss the WAL). */
async function snapshot(source: string, dest: string): Promise<void> {
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    await db.backup(dest);
  } finally {
    db.close();
  }
  // One self-contained file: no WAL to carry along, and readable where WAL is unavailable.
  const copy = new Database(dest);
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
  fsyncFile(dest);
}

/** Processes other than this one holding `path` (or its -wal/-shm) open, read from /proc (Linux; elsewhere the lease check stands alone). */
function processesWithOpen(path: string): string[] {
  if (!existsSync('/proc/self/fd')) return [];
  const targets = new Set([path, `${path}-wal`, `${path}-shm`]);
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or not ours to read
    }
    for (const fd of fds) {
      try {
        if (targets.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) {
          found.push(`process ${pid}`);
          break;
        }
      } catch {
        // closed meanwhile
      }
    }
  }
  return found;
}

export const sqliteBackupEngine: BackupEngine = {
  name: 'sqlite',
  member: 'ffe.db',

  async dump(source, dest) {
    if (!existsSync(source)) throw new FfeError('input', 'BACKUP_NO_STORE', `no store at ${source} to back up`);
    await snapshot(source, dest);
    return this.inspect(dest);
  },

  async inspect(dumpFile) {
    let db: Database.Database;
    try {
      db = new Database(dumpFile, { readonly: true, fileMustExist: true });
    } catch (e) {
      throw new FfeError('runtime', 'BACKUP_CORRUPT', `backup database ${basename(dumpFile)} cannot be opened: ${(e as Error).message}`);
    }
    try {
      const problems = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).filter((r) => r !== 'ok');
      if (problems.length) throw new FfeError('runtime', 'BACKUP_CORRUPT', `backup database ${basename(dumpFile)} fails integrity_check: ${problems[0]}`);
      return summarize(db);
    } catch (e) {
      if (e instanceof FfeError) throw e;
      throw new FfeError('runtime', 'BACKUP_CORRUPT', `backup database ${basename(dumpFile)} is unreadable: ${(e as Error).message}`);
    } finally {
      db.close();
    }
  },

  async usersOf(target) {
    const full = resolve(target);
    if (!existsSync(full)) return [];
    const users: string[] = [];
    // A running agent or instance holds a lease it renews; an unexpired one means someone is live.
    const db = new Database(full, { readonly: true, fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      const hasLeases = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'leases'`).get();
      if (hasLeases) {
        const rows = db.prepare('SELECT name, holder FROM leases WHERE expires_at > ?').all(Date.now()) as { name: string; holder: string }[];
        users.push(...rows.map((r) => `lease ${r.name} held by ${r.holder}`));
      }
    } finally {
      db.close();
    }
    // Any process with the file open (`ffe serve`, a CLI mid-command) would keep writing to the replaced inode.
    users.push(...processesWithOpen(full));
    return users;
  },

  async restore(dumpFile, target, keepPrevious) {
    const full = resolve(target);
    const tmp = join(dirname(full), `.${basename(full)}.restoring-${process.pid}`);
    let previous: string | null = null;
    try {
      // The copy goes next to the target so the final rename is atomic (same file system).
      await snapshot(dumpFile, tmp);
      if (existsSync(full)) {
        // Through the backup API too, so a WAL left by a crash is part of the copy kept.
        await snapshot(full, keepPrevious);
        previous = keepPrevious;
      }
      // Stale WAL/SHM of the replaced database must not be replayed onto the restored one.
      for (const side of ['-wal', '-shm', '-journal']) rmSync(`${full}${side}`, { force: true });
      renameSync(tmp, full);
    } finally {
      rmSync(tmp, { force: true });
    }
    return { previous };
  },
};
