import { sql } from 'kysely';
import { closedTx, guardedTx, type Session, type StoreDb } from '../session.js';

/**
 * The one advisory lock every store transaction takes (a fixed key, arbitrary: "FFE" in ASCII).
 * Callers do read-check-write inside transactions (leases, idempotency keys, the order journal,
 * audit seq = last + 1); SQLite makes that safe with BEGIN IMMEDIATE, one writer per file.
 * Taking this lock first gives PostgreSQL the same semantics across every connection of every
 * instance: store transactions run one at a time; single statements outside one do not wait.
 */
export const STORE_TX_LOCK = 0x464645;

/** How long a transaction waits for the writer ahead of it (PostgreSQL's lock_timeout). */
const TX_LOCK_WAIT = '10s';

function txSession(root: Session, conn: StoreDb): Session {
  const { db, tx } = guardedTx(conn);
  const session: Session = { db, path: root.path, dialect: root.dialect, tx, transaction: (fn) => runPgTransaction(session, fn) };
  return session;
}

/**
 * Runs `fn` in one transaction (a savepoint inside an open one), holding one pooled connection
 * from BEGIN to COMMIT. Commits when `fn` resolves, rolls back when it throws; hooks registered
 * in `afterCommit` (publishing domain events) run once the connection is back in the pool. If the
 * server goes away in between, PostgreSQL rolls the transaction back whole: nothing half-written.
 */
export async function runPgTransaction<T>(s: Session, fn: (tx: Session) => Promise<T>): Promise<T> {
  if (s.tx) return savepoint(s, fn);
  let committed: (() => void)[] = [];
  const result = await s.db.connection().execute(async (conn) => {
    const session = txSession(s, conn);
    await sql`begin`.execute(conn);
    try {
      await sql.raw(`set local lock_timeout = '${TX_LOCK_WAIT}'`).execute(conn);
      await sql`select pg_advisory_xact_lock(${sql.lit(STORE_TX_LOCK)})`.execute(conn);
      const value = await fn(session);
      await sql`commit`.execute(conn);
      committed = session.tx!.afterCommit;
      return value;
    } catch (e) {
      await sql`rollback`.execute(conn).catch(() => {});
      throw e;
    } finally {
      session.tx!.open = false;
    }
  });
  for (const hook of committed) hook();
  return result;
}

async function savepoint<T>(s: Session, fn: (tx: Session) => Promise<T>): Promise<T> {
  const tx = s.tx!;
  if (!tx.open) throw closedTx();
  const name = `ffe_sp_${++tx.depth}`;
  const hooks = tx.afterCommit.length;
  const events = tx.events.length;
  await sql.raw(`savepoint ${name}`).execute(s.db);
  try {
    const value = await fn(s);
    await sql.raw(`release savepoint ${name}`).execute(s.db);
    return value;
  } catch (e) {
    if (tx.open) {
      await sql
        .raw(`rollback to savepoint ${name}`)
        .execute(s.db)
        .catch(() => {});
      await sql
        .raw(`release savepoint ${name}`)
        .execute(s.db)
        .catch(() => {});
    }
    tx.afterCommit.length = hooks;
    tx.events.length = events;
    throw e;
  } finally {
    tx.depth--;
  }
}
