import { isAbsolute, join, resolve } from 'node:path';
import { loadConfig } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import { FfeError } from '../../core/errors.js';
import type { BackupEngine } from '../../store/backup/engine.js';
import { postgresBackupEngine } from '../../store/backup/postgres.js';
import { sqliteBackupEngine } from '../../store/backup/sqlite.js';
import { parseStoreUrl } from '../../store/open.js';
import { dataHome, storePath, type DataHome } from '../home.js';

export interface BackupOptions {
  /** `--config FILE`, as for every command. */
  configFile?: string;
  cwd?: string;
  env?: Record<string, string | undefined>;
}

export interface BackupContext {
  config: Config;
  home: DataHome;
  /** The store this installation uses (the file for SQLite). */
  target: string;
  engine: BackupEngine;
  /** Where backups go by default: backup.dir, else <data home>/backups. */
  dir: string;
  cwd: string;
  /** Where a restore keeps the data it replaces (the undo). */
  previousPath(stamp: string): string;
}

/** The configured store, data home and backup folder, resolved exactly as the runtime resolves them (src/app/container.ts). */
export function backupContext(opts: BackupOptions = {}): BackupContext {
  const cwd = opts.cwd ?? process.cwd();
  const env = opts.env ?? process.env;
  const { config, origins } = loadConfig({ cwd, env, file: opts.configFile });
  const home = dataHome(env, cwd);
  const dir = config.backup.dir ? (isAbsolute(config.backup.dir) ? config.backup.dir : resolve(cwd, config.backup.dir)) : join(home.dir, 'backups');
  // The same resolution as the runtime's (src/app/container.ts): database.url, else the deprecated persistence.sqlite_path.
  const loc = config.database.url ? parseStoreUrl(config.database.url) : null;
  if (loc?.engine === 'postgres') return { config, home, target: loc.url, engine: postgresBackupEngine, dir, cwd, previousPath: (stamp) => join(dir, `postgres-before-restore-${stamp}.pgdump`) };
  const target = storePath(loc?.path ?? config.persistence.sqlite_path, loc !== null || 'persistence.sqlite_path' in origins, home, cwd);
  if (target === ':memory:') throw new FfeError('input', 'BACKUP_NO_STORE', 'persistence.sqlite_path is :memory:; there is no store file to back up or restore');
  return { config, home, target, engine: sqliteBackupEngine, dir, cwd, previousPath: (stamp) => `${target}.before-restore-${stamp}` };
}

/** The store as it may be printed: a PostgreSQL URL loses its password. */
export function shownTarget(target: string): string {
  if (!/^postgres(ql)?:\/\//.test(target)) return target;
  const u = new URL(target);
  if (u.password) u.password = '***';
  return u.toString();
}
