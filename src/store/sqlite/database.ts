import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator } from 'kysely';
import { FfeError } from '../../core/errors.js';
import { migrationProvider as provider } from '../schema.js';
import type { Session, StoreDb } from '../session.js';
import type { FoundationTables } from '../tables.js';
import { fileShared, gatedSqliteDialect } from './file-gate.js';
import { runTransaction } from './transaction.js';

export type SqliteDb = StoreDb;

const STATEMENT_CACHE = 512;

/**
 * Kysely prepares every query afresh; with the same few dozen SQL shapes run thousands of times
 * (agent replays, backtests), preparation dominated. Statements are reusable in better-sqlite3,
 * so keep the most recent ones by SQL text.
 */
function cachingPrepare(raw: Database.Database): { close(): void; prepare(sql: string): Database.Statement } {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => raw.close(),
    prepare(sql: string) {
      let st = cache.get(sql);
      if (st) {
        cache.delete(sql);
      } else {
        st = raw.prepare(sql);
        if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, st);
      return st;
    },
  };
}

/**
 * One SQLite connection as the repositories see it: the root session, or a transaction's.
 *
 * Concurrency on the one connection: Kysely's SQLite driver lets one query or one held
 * connection (`db.connection()`) run at a time, and a store transaction holds the connection
 * from BEGIN to COMMIT. So every Kysely query through a root session waits while another async
 * flow's transaction is open, and synchronous better-sqlite3 work must go through `exclusive`
 * for the same guarantee (run bare, it would land inside whatever transaction is open).
 */
export interface OpenedSqlite extends Session {
  dialect: 'sqlite';
  raw: Database.Database;
  /** Runs synchronous work on `raw` once the connection is ours: at once inside a transaction, after any open transaction otherwise (at once when none is open). */
  exclusive<T>(fn: () => T): Promise<T>;
}

/** Connections a flow holds across awaits (a transaction, a read snapshot): synchronous work of other flows waits for it. */
const held = new WeakSet<Database.Database>();

/** Runs `fn` holding `raw` (call it with the connection acquired): see `exclusive`. */
export async function holding<T>(raw: Database.Database, fn: () => Promise<T>): Promise<T> {
  held.add(raw);
  try {
    return await fn();
  } finally {
    held.delete(raw);
  }
}

/**
 * `fn` at once when no flow holds the connection (nothing open on it could see or take its
 * statements), else once the holder let go. Going through Kysely's connection lock for every
 * statement cost more than most of the statements (a replay runs ~30 a cycle outside transactions).
 */
function exclusively<T>(raw: Database.Database, path: string, db: StoreDb, fn: () => T): Promise<T> {
  // Another handle of this process on the file may hold its write lock across awaits: run bare, a write would freeze on it (file-gate.ts).
  if (held.has(raw) || raw.inTransaction || fileShared(path)) return db.connection().execute(async () => fn());
  try {
    return Promise.resolve(fn());
  } catch (e) {
    return Promise.reject(e as Error);
  }
}

/** The SQLite session behind `s` when there is one: repositories take their synchronous fast paths through it. */
export const sqliteFast = (s: Session): OpenedSqlite | null => (s.dialect === 'sqlite' ? (s as OpenedSqlite) : null);

/**
 * Several processes may open the same fresh file at once (workers, `ffe user create` run in
 * parallel, a CLI next to an agent). Kysely's SQLite adapter has no cross-process migration
 * lock and runs DDL outside a transaction, so two of them could both see 005 as pending and the
 * loser failed on "duplicate column name". BEGIN IMMEDIATE takes SQLite's write lock for the
 * whole run: the others wait (busy_timeout, then our back-off) and find every migration
 * recorded. It also makes a run all-or-nothing: a failing migration leaves no half schema.
 */
async function migrateExclusively(raw: Database.Database, db: Kysely<FoundationTables>) {
  for (let attempt = 0; ; attempt++) {
    try {
      raw.exec('BEGIN IMMEDIATE');
    } catch (e) {
      if (attempt >= 40 || !/locked|busy/i.test((e as Error).message)) throw e;
      await new Promise((r) => setTimeout(r, 50 + attempt * 25));
      continue;
    }
    try {
      const result = await new Migrator({ db, provider, allowUnorderedMigrations: true }).migrateToLatest();
      raw.exec(result.error ? 'ROLLBACK' : 'COMMIT');
      return result;
    } catch (e) {
      if (raw.inTransaction) raw.exec('ROLLBACK');
      throw e;
    }
  }
}

/**
 * Opens (creating if needed) the SQLite file, switches it to WAL and brings its schema up to
 * date. A file that is not a database, or is damaged, is a clear runtime error naming the file.
 */
export async function openSqlite(path: string): Promise<OpenedSqlite> {
  const full = path === ':memory:' ? path : resolve(path);
  let raw: Database.Database;
  try {
    if (full !== ':memory:') mkdirSync(dirname(full), { recursive: true });
    raw = new Database(full);
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.pragma('foreign_keys = ON');
    raw.pragma('busy_timeout = 5000');
    const check = raw.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`integrity check failed: ${String(check)}`);
  } catch (e) {
    throw new FfeError('runtime', 'STORE_CORRUPT', `cannot open the database ${full}: ${(e as Error).message} (move the file aside to start fresh)`);
  }
  const db = new Kysely<FoundationTables>({ dialect: gatedSqliteDialect(full, { database: cachingPrepare(raw) }) });
  const { error, results } = await migrateExclusively(raw, db).catch((e: unknown) => ({ error: e, results: undefined }));
  if (error) {
    await db.destroy();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? '?';
    throw new FfeError('runtime', 'STORE_MIGRATION', `database ${full}: migration ${failed} failed: ${(error as Error).message}`);
  }
  const root: OpenedSqlite = {
    db,
    raw,
    path: full,
    dialect: 'sqlite',
    exclusive: (fn) => exclusively(raw, full, db, fn),
    transaction: (fn) => runTransaction(root, fn),
  };
  return root;
}
