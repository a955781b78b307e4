import { Kysely, Migrator, PostgresDialect, sql, type MigrationResultSet } from 'kysely';
import type pg from 'pg';
import { FfeError } from '../../core/errors.js';
import type { Session } from '../session.js';
import { migrationProvider as provider } from '../schema.js';
import type { FoundationTables } from '../tables.js';
import { classifyPgError, maskUrl } from './errors.js';
import { runPgTransaction } from './transaction.js';

export interface OpenedPostgres extends Session {
  dialect: 'postgres';
  /** The URL as given (with its password): for this process's own connections, never printed. */
  url: string;
}

/** Type OIDs whose text the store wants as JS numbers: int8 (counts, ms timestamps; every value stays below 2^53). */
const INT8 = 20;

/** Only PostgreSQL installations load `pg`: `ffe --help` and SQLite stores never pay for it. */
async function loadPg(): Promise<typeof pg> {
  return (await import('pg')).default;
}

/**
 * A pool of connections to `url`, its failures classified (one line naming database.url without
 * its password). The type parsers belong to this pool only: other `pg` users in the process keep
 * the defaults.
 */
async function openPool(url: string, opening: { now: boolean }): Promise<{ connect(): Promise<pg.PoolClient>; end(): Promise<void> }> {
  const { Pool, types } = await loadPg();
  const pool = new Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 10_000,
    types: { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8 ? (v: string) => Number(v) : types.getTypeParser(oid, format))) as typeof types.getTypeParser },
  });
  // An idle connection whose server went away: the next query reports it; without a listener, Node would exit.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    // A checked-out connection whose server went away: the query in flight rejects (classified below); the event itself must not crash the process.
    client.on('error', () => {});
    const query = client.query.bind(client) as (...a: unknown[]) => Promise<unknown>;
    (client as { query: unknown }).query = (...a: unknown[]) =>
      query(...a).catch((e: unknown) => {
        throw classifyPgError(e, url, opening.now);
      });
  });
  return {
    connect: () =>
      pool.connect().catch((e: unknown) => {
        throw classifyPgError(e, url, opening.now);
      }),
    end: () => pool.end(),
  };
}

export function migratorFor(db: Kysely<unknown>): Migrator {
  return new Migrator({ db, provider, allowUnorderedMigrations: true });
}

/**
 * Connects to the PostgreSQL database at `url` and brings its schema up to date with the same
 * migrations as SQLite (Kysely's PostgreSQL adapter runs them in one transaction under an
 * advisory lock, so instances starting together migrate once). Wrong URL, credentials or
 * database: one line naming database.url, password masked.
 */
export async function openPostgres(url: string, opts: { migrate?: boolean } = {}): Promise<OpenedPostgres> {
  const opening = { now: true };
  const pool = await openPool(url, opening);
  const db = new Kysely<FoundationTables>({ dialect: new PostgresDialect({ pool: pool as unknown as pg.Pool }) });
  const location = maskUrl(url);
  try {
    await sql`select 1`.execute(db);
    if (opts.migrate !== false) {
      const { error, results } = await migratorFor(db as Kysely<unknown>).migrateToLatest();
      if (error) throw migrationError(location, error, results);
    }
  } catch (e) {
    await db.destroy().catch(() => {});
    throw e;
  }
  opening.now = false;
  const root: OpenedPostgres = { db, url, path: location, dialect: 'postgres', transaction: (fn) => runPgTransaction(root, fn) };
  return root;
}

function migrationError(location: string, error: unknown, results: MigrationResultSet['results']): unknown {
  if (error instanceof FfeError) return error;
  const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? '?';
  return new FfeError('runtime', 'STORE_MIGRATION', `database ${location}: migration ${failed} failed: ${(error as Error).message}`);
}
