import { FfeError } from '../core/errors.js';
import type { Store } from './port.js';

export type StoreLocation = { engine: 'sqlite'; path: string } | { engine: 'postgres'; url: string };

/**
 * Where `database.url` points: `sqlite:PATH` (or a bare path) is a SQLite file, `postgres://` /
 * `postgresql://` a PostgreSQL database. Anything else with a scheme is a config error naming the
 * key (the value itself is not repeated: it may hold a password).
 */
export function parseStoreUrl(url: string): StoreLocation {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    try {
      new URL(url);
    } catch {
      throw new FfeError('config', 'STORE_URL_INVALID', 'database.url: not a valid postgres:// URL (postgres://user:password@host:port/database)');
    }
    return { engine: 'postgres', url };
  }
  if (/^sqlite:/i.test(url)) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!path) throw new FfeError('config', 'STORE_URL_INVALID', 'database.url: sqlite: needs a file path (sqlite:./data/ffe.db)');
    return { engine: 'sqlite', path };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  if (scheme) throw new FfeError('config', 'STORE_URL_INVALID', `database.url: unsupported scheme "${scheme[1]}" (use sqlite:PATH or postgres://...)`);
  return { engine: 'sqlite', path: url };
}

/**
 * Opens the store `database.url` names, bringing its schema up to date (unless `migrate: false`).
 * The PostgreSQL engine (and the `pg` driver) is imported only when asked for, so commands on a
 * SQLite store never load it.
 */
export async function openStore(url: string, opts: { migrate?: boolean } = {}): Promise<Store> {
  const loc = parseStoreUrl(url);
  if (loc.engine === 'postgres') {
    const { PostgresStore } = await import('./postgres/store.js');
    return PostgresStore.open(loc.url, opts);
  }
  const { SqliteStore } = await import('./sqlite/store.js');
  return SqliteStore.open(loc.path);
}
