import { isAbsolute, join, resolve } from 'node:path';
import { loadConfig } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import { FfeError } from '../../core/errors.js';
import type { BackupEngine } from '../../store/backup/engine.js';
import { sqliteBackupEngine } from '../../store/backup/sqlite.js';
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
}

/** The configured store, data home and backup folder, resolved exactly as the runtime resolves them (src/app/container.ts). */
export function backupContext(opts: BackupOptions = {}): BackupContext {
  const cwd = opts.cwd ?? process.cwd();
  const env = opts.env ?? process.env;
  const { config, origins } = loadConfig({ cwd, env, file: opts.configFile });
  const home = dataHome(env, cwd);
  const target = storePath(config.persistence.sqlite_path, 'persistence.sqlite_path' in origins, home, cwd);
  if (target === ':memory:') throw new FfeError('input', 'BACKUP_NO_STORE', 'persistence.sqlite_path is :memory:; there is no store file to back up or restore');
  const dir = config.backup.dir ? (isAbsolute(config.backup.dir) ? config.backup.dir : resolve(cwd, config.backup.dir)) : join(home.dir, 'backups');
  return { config, home, target, engine: engineFor(config), dir, cwd };
}

/** The engine of the configured store (PostgreSQL joins here once its store mode exists). */
function engineFor(_config: Config): BackupEngine {
  return sqliteBackupEngine;
}
