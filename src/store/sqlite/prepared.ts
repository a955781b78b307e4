import type Database from 'better-sqlite3';
import type { OpenedSqlite } from './database.js';

const statements = new WeakMap<Database.Database, Map<string, Database.Statement<unknown[]>>>();

/**
 * A hot statement, prepared once per connection: every repository on the connection (the root
 * session's and each transaction's copies) shares it. Building and compiling the same Kysely
 * query thousands of times (every decision, agent event, domain event, audit entry, agent state
 * and paper book read of a replay) cost more than running it; the SQLite paths of those run
 * fixed SQL instead (the other engines keep their Kysely queries).
 */
export function prepared(raw: Database.Database, sql: string): Database.Statement<unknown[]> {
  let byText = statements.get(raw);
  if (!byText) statements.set(raw, (byText = new Map()));
  let st = byText.get(sql);
  if (!st) byText.set(sql, (st = raw.prepare<unknown[]>(sql)));
  return st;
}

/** Runs one prepared write on `s` once the connection is ours (at once inside its transaction; see OpenedSqlite.exclusive). */
export const runPrepared = (s: OpenedSqlite, sql: string, params: unknown[]): Promise<Database.RunResult> => s.exclusive(() => prepared(s.raw, sql).run(params));

/** The first row of one prepared statement on `s` (a read, or a write with RETURNING). */
export const getPrepared = <R>(s: OpenedSqlite, sql: string, params: unknown[]): Promise<R | undefined> => s.exclusive(() => prepared(s.raw, sql).get(params) as R | undefined);

/** Every row of one prepared read on `s`. */
export const allPrepared = <R>(s: OpenedSqlite, sql: string, params: unknown[]): Promise<R[]> => s.exclusive(() => prepared(s.raw, sql).all(params) as R[]);
