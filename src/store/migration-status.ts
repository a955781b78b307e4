import { Migrator, type Kysely } from 'kysely';
import { migrationProvider } from './schema.js';
import type { SessionStore } from './session-store.js';

export interface MigrationStatus {
  engine: string;
  location: string;
  applied: string[];
  pending: string[];
}

const migrator = (s: SessionStore) => new Migrator({ db: s.session.db as Kysely<unknown>, provider: migrationProvider, allowUnorderedMigrations: true });

/** Which migrations the store's database has run and which it has not. */
export async function migrationStatus(s: SessionStore): Promise<MigrationStatus> {
  const all = await migrator(s).getMigrations();
  return { engine: s.engine, location: s.location, applied: all.filter((m) => m.executedAt).map((m) => m.name), pending: all.filter((m) => !m.executedAt).map((m) => m.name) };
}

/** Runs the pending migrations; returns their names. */
export async function migrate(s: SessionStore): Promise<string[]> {
  const { error, results } = await migrator(s).migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
