import { chmodSync, copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { FfeError } from '../../core/errors.js';
import { CONFIG_MEMBER } from './archive.js';
import { backupContext, shownTarget, type BackupOptions } from './location.js';
import { openVerified } from './verify.js';

export interface RestoreOptions extends BackupOptions {
  /** Replace the store even though a running instance uses it (`--force`); also overwrite `withConfig`. */
  force?: boolean;
  /** Also write the backup's config.yaml to this file (`--with-config FILE`). */
  withConfig?: string;
  now?: () => Date;
}

export interface RestoreReport {
  file: string;
  target: string;
  /** The store that was replaced, kept so a bad restore can be undone (null: there was none). */
  previous: string | null;
  tables: Record<string, number>;
  rows: number;
  config: string | null;
  /** Who was using the target when --force overrode the check. */
  forced_over: string[];
}

/**
 * `ffe backup restore FILE`: verify first (a damaged or altered backup is refused before
 * anything is touched), refuse a store a running instance uses unless forced, then put the
 * database in place atomically, keeping the previous one beside it.
 */
export async function restoreBackup(path: string, opts: RestoreOptions = {}): Promise<RestoreReport> {
  const ctx = backupContext(opts);
  const v = await openVerified(path, ctx.cwd);
  try {
    if (v.manifest.engine !== ctx.engine.name) throw new FfeError('runtime', 'BACKUP_CORRUPT', `backup is of a ${v.manifest.engine} store; this installation uses ${ctx.engine.name}`);
    const users = await ctx.engine.usersOf(ctx.target);
    if (users.length && !opts.force) {
      throw new FfeError('runtime', 'BACKUP_TARGET_IN_USE', `the store ${shownTarget(ctx.target)} is in use (${users.join('; ')}): stop the instance first, or pass --force`);
    }
    const configOut = opts.withConfig ? resolve(ctx.cwd, opts.withConfig) : null;
    if (configOut && existsSync(configOut) && !opts.force) throw new FfeError('input', 'BACKUP_CONFIG_EXISTS', `--with-config ${configOut} exists; pass --force to overwrite it`);
    if (ctx.engine.name === 'sqlite') mkdirSync(dirname(ctx.target), { recursive: true });
    else mkdirSync(ctx.dir, { recursive: true });
    const stamp = (opts.now ?? (() => new Date()))().toISOString().replace(/[-:.]/g, '');
    const { previous } = await ctx.engine.restore(join(v.dir, v.manifest.database), ctx.target, ctx.previousPath(stamp));
    if (configOut) {
      mkdirSync(dirname(configOut), { recursive: true });
      copyFileSync(join(v.dir, CONFIG_MEMBER), configOut);
      chmodSync(configOut, 0o600);
    }
    const tables = v.manifest.tables;
    return { file: v.file, target: shownTarget(ctx.target), previous, tables, rows: Object.values(tables).reduce((a, b) => a + b, 0), config: configOut, forced_over: users };
  } finally {
    v.dispose();
  }
}
