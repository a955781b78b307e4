import { PostgresAdapter, type ColumnDefinitionBuilder, type Kysely } from 'kysely';

/**
 * The few column types that differ between the engines. The migrations are shared; on SQLite
 * they produce exactly what they always did (so existing files are unchanged), on PostgreSQL
 * the types that keep the same values.
 */
export const isPostgres = (db: Kysely<unknown>): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

/** A floating-point number: SQLite's REAL is 8 bytes; PostgreSQL's `real` would be 4. */
export const realType = (db: Kysely<unknown>) => (isPostgres(db) ? 'double precision' : 'real');

/** An ever-increasing integer key never reused: SQLite's INTEGER PRIMARY KEY AUTOINCREMENT, PostgreSQL's identity column. */
export const autoIdType = (db: Kysely<unknown>) => (isPostgres(db) ? 'bigint' : 'integer');
export const autoId = (db: Kysely<unknown>) => (c: ColumnDefinitionBuilder) => (isPostgres(db) ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement());
