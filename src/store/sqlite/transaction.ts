import type Database from 'better-sqlite3';
import { FfeError } from '../../core/errors.js';
import { closedTx, guardedTx, type Session } from '../session.js';
import { holding, type OpenedSqlite, type SqliteDb } from './database.js';
import { restoreDeferred, runDeferred } from './deferred-writes.js';

/** How long a transaction waits for another writer (another process, or another handle on the file) to finish. */
const TX_BEGIN_WAIT_MS = 10_000;

/**
 * The statements every transaction runs, prepared once per connection: `exec` compiles its SQL
 * on every call, and at one transaction per venue call that compiling was a tenth of an agent
 * replay. The busy timeout is the exception: SQLite applies a PRAGMA when it is compiled, so a
 * prepared one would set it once and never again; those go through `exec` (cheaper than
 * `pragma()`, which builds a statement object). `busyTimeout` is the one the connection was
 * opened with, read once (nothing else changes it).
 */
interface TxStatements {
  begin: Database.Statement;
  beginRead: Database.Statement;
  commit: Database.Statement;
  busyTimeout: number;
  savepoints: Map<string, { open: Database.Statement; release: Database.Statement }>;
}
const prepared = new WeakMap<Database.Database, TxStatements>();

function statementsOf(raw: Database.Database): TxStatements {
  let st = prepared.get(raw);
  if (!st) {
    st = {
      busyTimeout: Number(raw.pragma('busy_timeout', { simple: true })),
      begin: raw.prepare('BEGIN IMMEDIATE'),
      beginRead: raw.prepare('BEGIN DEFERRED'),
      commit: raw.prepare('COMMIT'),
      savepoints: new Map(),
    };
    prepared.set(raw, st);
  }
  return st;
}

/** The session of one open transaction: its Kysely handle is bound to the held connection and refuses work once the transaction ended. */
function transactionSession(root: OpenedSqlite, conn: SqliteDb): OpenedSqlite {
  const { db, tx } = guardedTx(conn);
  const session: OpenedSqlite = {
    db,
    raw: root.raw,
    path: root.path,
    dialect: 'sqlite',
    tx,
    exclusive: async (fn) => {
      if (!tx.open) throw closedTx();
      return fn();
    },
    transaction: (fn) => runTransaction(session, fn),
  };
  return session;
}

/**
 * Runs `fn` in one transaction on `s`: a fresh one on a root session, a savepoint inside an open
 * one (an inner failure undoes only the inner writes). Commits when `fn` resolves, rolls back
 * when it throws.
 *
 * BEGIN IMMEDIATE takes the file's write lock at once, so two processes doing read-check-write
 * cannot both pass the check; in this process, holding Kysely's single connection for the whole
 * transaction makes every query of other async flows wait (repositories run their synchronous
 * better-sqlite3 work through `exclusive` for the same). Using the root session from inside
 * `fn` would wait on itself: use the session `fn` is given.
 */
export async function runTransaction<T>(s: OpenedSqlite, fn: (tx: Session) => Promise<T>): Promise<T> {
  if (s.tx) return savepoint(s, fn);
  let committed: (() => void)[] = [];
  const result = await s.db.connection().execute((conn) =>
    holding(s.raw, async () => {
      const session = transactionSession(s, conn);
      const raw = s.raw;
      const st = statementsOf(raw);
      await beginImmediate(s, st);
      let deferred: ReturnType<typeof runDeferred> = null;
      try {
        // Writes that waited for a transaction (deferred-writes.ts) go first: this one's own writes land after them.
        deferred = runDeferred(raw);
        const result = await fn(session);
        st.commit.run();
        committed = session.tx!.afterCommit;
        return result;
      } catch (e) {
        // A failed COMMIT may already have ended the transaction.
        if (raw.inTransaction) raw.exec('ROLLBACK');
        restoreDeferred(raw, deferred);
        throw e;
      } finally {
        session.tx!.open = false;
      }
    }),
  );
  // After the connection is given back: what runs here (publishing the transaction's domain events) may use the store again.
  for (const hook of committed) hook();
  return result;
}

/**
 * Runs `fn`, which only reads, on one snapshot of the file without taking the write lock: a
 * deferred transaction (in WAL mode readers never wait for a writer, so no busy handling), with
 * the connection held like `exclusive` so no other flow's writes land in between. Inside an open
 * transaction, that transaction's view.
 */
export async function readSnapshot<T>(s: OpenedSqlite, fn: () => Promise<T>): Promise<T> {
  if (s.tx) return s.exclusive(fn);
  return s.db.connection().execute(() =>
    holding(s.raw, async () => {
      const st = statementsOf(s.raw);
      st.beginRead.run();
      try {
        return await fn();
      } finally {
        if (s.raw.inTransaction) st.commit.run();
      }
    }),
  );
}

/**
 * Takes the write lock, polling without blocking the event loop: with busy_timeout, a waiting
 * BEGIN would freeze this process (its HTTP server, its timers, and a transaction of another
 * handle on the same file that must finish first) for as long as the other writer holds on.
 */
async function beginImmediate(s: OpenedSqlite, st: TxStatements): Promise<void> {
  const deadline = Date.now() + TX_BEGIN_WAIT_MS;
  s.raw.exec('PRAGMA busy_timeout = 0');
  try {
    for (let pause = 1; ; pause = Math.min(pause * 2, 25)) {
      try {
        st.begin.run();
        return;
      } catch (e) {
        if ((e as { code?: string }).code !== 'SQLITE_BUSY') throw e;
        if (Date.now() >= deadline) throw new FfeError('runtime', 'STORE_BUSY', `database ${s.path} stayed locked by another writer for ${TX_BEGIN_WAIT_MS / 1000} s`);
      }
      await new Promise((r) => setTimeout(r, pause));
    }
  } finally {
    s.raw.exec(`PRAGMA busy_timeout = ${st.busyTimeout}`);
  }
}

async function savepoint<T>(s: OpenedSqlite, fn: (tx: Session) => Promise<T>): Promise<T> {
  const tx = s.tx!;
  if (!tx.open) throw closedTx();
  const name = `ffe_sp_${++tx.depth}`;
  const raw = s.raw;
  const sps = statementsOf(raw).savepoints;
  let sp = sps.get(name);
  if (!sp) {
    sp = { open: raw.prepare(`SAVEPOINT ${name}`), release: raw.prepare(`RELEASE ${name}`) };
    sps.set(name, sp);
  }
  // What the savepoint's writes would have done after commit goes with them when it rolls back.
  const hooks = tx.afterCommit.length;
  const events = tx.events.length;
  sp.open.run();
  try {
    const result = await fn(s);
    sp.release.run();
    return result;
  } catch (e) {
    if (raw.inTransaction) raw.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
    tx.afterCommit.length = hooks;
    tx.events.length = events;
    throw e;
  } finally {
    tx.depth--;
  }
}
