import { chmodSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { redactConfig } from '../../config/load.js';
import { packageVersion } from '../../lib/package-root.js';
import { CONFIG_MEMBER, describeMembers, FORMAT, FORMAT_VERSION, manifestDigest, MANIFEST, pack, type Manifest } from './archive.js';
import { backupContext, shownTarget, type BackupOptions } from './location.js';
import { backupName, pruneBackups, type BackupFile } from './retention.js';

export interface CreateBackupOptions extends BackupOptions {
  /** Folder to write to (`--out`); default backup.dir. */
  out?: string;
  /** Keep the secrets in the config copy (`--include-secrets`). */
  includeSecrets?: boolean;
  now?: () => Date;
}

export interface CreatedBackup {
  file: string;
  size: number;
  engine: string;
  source: string;
  tables: Record<string, number>;
  rows: number;
  duration_ms: number;
  config_secrets: Manifest['config_secrets'];
  /** Backups older than backup.retention_days removed from the same folder afterwards. */
  pruned: BackupFile[];
}

/**
 * `ffe backup create`: a consistent snapshot of the store taken while it is in use, the effective
 * config (secrets masked unless asked), and a manifest with checksums, in ONE file. Everything is
 * assembled in a hidden work folder and renamed into place at the end, so a failure leaves no
 * partial backup behind.
 */
export async function createBackup(opts: CreateBackupOptions = {}): Promise<CreatedBackup> {
  const ctx = backupContext(opts);
  const now = opts.now ?? (() => new Date());
  const started = performance.now();
  const dir = opts.out ? resolve(ctx.cwd, opts.out) : ctx.dir;
  // A backup holds every table (password and key hashes, the audit log): operators only.
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const createdAt = now();
  const name = backupName(createdAt);
  const work = mkdtempSync(join(dir, '.ffe-backup-'));
  const partial = join(dir, `.${name}.partial`);
  try {
    const summary = await ctx.engine.dump(ctx.target, join(work, ctx.engine.member));
    const config = opts.includeSecrets ? ctx.config : redactConfig(ctx.config);
    writeFileSync(join(work, CONFIG_MEMBER), `# effective ffe configuration at backup time${opts.includeSecrets ? '' : ' (secrets masked as ***: supply them again)'}\n${stringify(config)}`, { mode: 0o600 });
    const members = [ctx.engine.member, CONFIG_MEMBER];
    const body: Omit<Manifest, 'digest'> = {
      format: FORMAT,
      format_version: FORMAT_VERSION,
      ffe_version: packageVersion(),
      created_at: createdAt.toISOString(),
      engine: ctx.engine.name,
      database: ctx.engine.member,
      migrations: summary.migrations,
      tables: summary.tables,
      config_secrets: opts.includeSecrets ? 'included' : 'excluded',
      members: await describeMembers(work, members),
    };
    const manifest: Manifest = { ...body, digest: manifestDigest(body) };
    writeFileSync(join(work, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    await pack(work, members, partial);
    chmodSync(partial, 0o600);
    const file = join(dir, name);
    renameSync(partial, file);
    const rows = Object.values(summary.tables).reduce((a, b) => a + b, 0);
    const result = { file, size: statSync(file).size, engine: ctx.engine.name, source: shownTarget(ctx.target), tables: summary.tables, rows, config_secrets: body.config_secrets };
    // Retention runs only after a good backup exists, so a failing backup never thins out the old ones.
    const { removed } = pruneBackups(dir, ctx.config.backup.retention_days, createdAt);
    return { ...result, duration_ms: Math.round(performance.now() - started), pruned: removed };
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(partial, { force: true });
  }
}
