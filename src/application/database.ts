import { loadConfig } from '../config/load.js';
import { copyStore, type TableCount } from '../store/copy.js';
import { migrate, migrationStatus, type MigrationStatus } from '../store/migration-status.js';
import { openStore, parseStoreUrl } from '../store/open.js';
import type { SessionStore } from '../store/session-store.js';
import { dataHome, storePath } from './home.js';

/**
 * `ffe db ...`: the store's schema and moving an installation between engines. The URL is the
 * one `database.url` names (or the SQLite file the data home holds), unless one is given.
 */
export function configuredStoreUrl(opts: { file?: string; cwd?: string; env?: Record<string, string | undefined> } = {}): string {
  const cwd = opts.cwd ?? process.cwd();
  const env = opts.env ?? process.env;
  const { config, origins } = loadConfig({ file: opts.file, cwd, env });
  if (config.database.url && parseStoreUrl(config.database.url).engine === 'postgres') return config.database.url;
  const configured = config.database.url ? parseStoreUrl(config.database.url) : null;
  const path = configured?.engine === 'sqlite' ? configured.path : config.persistence.sqlite_path;
  return `sqlite:${storePath(path, configured !== null || 'persistence.sqlite_path' in origins, dataHome(env, cwd), cwd)}`;
}

async function withStore<T>(url: string, fn: (s: SessionStore) => Promise<T>, opts: { migrate?: boolean } = {}): Promise<T> {
  const store = (await openStore(url, opts)) as SessionStore;
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Engine, location (password masked) and the applied / pending migrations. */
export const databaseStatus = (url: string): Promise<MigrationStatus> => withStore(url, migrationStatus, { migrate: false });

/** Applies the pending migrations; their names. */
export const databaseMigrate = (url: string): Promise<{ location: string; applied: string[] }> => withStore(url, async (s) => ({ location: s.location, applied: await migrate(s) }), { migrate: false });

/** Copies one store into another (schema created on the target), verifying the row count of every table. */
export async function databaseCopy(from: string, to: string, opts: { force?: boolean } = {}): Promise<{ from: string; to: string; tables: TableCount[] }> {
  return withStore(from, (src) => withStore(to, async (dst) => ({ from: src.location, to: dst.location, tables: await copyStore(src, dst, opts) })));
}
