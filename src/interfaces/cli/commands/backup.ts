import type { Command } from 'commander';
import { table } from '../format.js';
import { globals, print, printJson } from '../run.js';
import { positiveInt } from './history.js';

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(2)} MB`;
const tableRows = (tables: Record<string, number>) =>
  table(
    ['table', 'rows'],
    Object.entries(tables).map(([t, n]) => [t, n]),
  );
// Heavy modules (tar, better-sqlite3, the config schema) load only when a backup command runs.
const backups = () => import('../../../application/backup/index.js');

/** `ffe backup create | verify | restore | list | prune` (docs/backup.md). No runtime is opened: a restore must not hold the store it replaces. */
export function registerBackup(program: Command): void {
  const backup = program.command('backup').description('back up, verify and restore the store and config (docs/backup.md)');

  backup
    .command('create')
    .description('one file with a consistent snapshot of the store (taken while it runs), the config and a manifest with checksums; then prunes backups older than backup.retention_days')
    .option('--out <dir>', 'folder to write to (default backup.dir: <data home>/backups)')
    .option('--include-secrets', 'keep API keys and other secrets in the config copy (default: masked as ***)')
    .option('--json', 'print JSON')
    .action(async (o: { out?: string; includeSecrets?: boolean; json?: boolean }, cmd: Command) => {
      const { createBackup } = await backups();
      const r = await createBackup({ configFile: globals(cmd).config, out: o.out, includeSecrets: o.includeSecrets });
      if (o.json) return printJson(r);
      print(`backup written: ${r.file}`);
      print(`${mb(r.size)}, ${r.engine} store ${r.source}, ${Object.keys(r.tables).length} tables, ${r.rows} rows, config secrets ${r.config_secrets}, ${(r.duration_ms / 1000).toFixed(2)} s`);
      print(tableRows(Object.fromEntries(Object.entries(r.tables).filter(([, n]) => n > 0))));
      for (const p of r.pruned) print(`removed ${p.name} (older than retention)`);
    });

  backup
    .command('verify')
    .description('check an archive: structure, manifest digest, every member sha256, database integrity and row counts; exit 1 naming what is wrong')
    .argument('<file>', 'the backup file')
    .option('--json', 'print JSON')
    .action(async (file: string, o: { json?: boolean }) => {
      const { verifyBackup } = await backups();
      const r = await verifyBackup(file);
      if (o.json) return printJson(r);
      print(`backup OK: ${r.file}`);
      print(
        `taken ${r.created_at} by ffe ${r.ffe_version}, ${r.engine}, ${r.migrations} migrations, ${Object.keys(r.tables).length} tables, ${r.rows} rows, ${Object.keys(r.members).length} members checked, config secrets ${r.config_secrets}`,
      );
    });

  backup
    .command('restore')
    .description('verify, then replace the configured store with the backup (the previous one is kept as <store>.before-restore-<time>); refuses a store a running instance uses')
    .argument('<file>', 'the backup file')
    .option('--force', 'restore even though a running instance uses the store (restart it afterwards); overwrite --with-config FILE')
    .option('--with-config <file>', "also write the backup's config to FILE")
    .option('--json', 'print JSON')
    .action(async (file: string, o: { force?: boolean; withConfig?: string; json?: boolean }, cmd: Command) => {
      const { restoreBackup } = await backups();
      const r = await restoreBackup(file, { configFile: globals(cmd).config, force: o.force, withConfig: o.withConfig });
      if (o.json) return printJson(r);
      if (r.forced_over.length) print(`--force: restored over a store in use (${r.forced_over.join('; ')}); restart that instance now`);
      print(`restored ${r.file} into ${r.target}: ${Object.keys(r.tables).length} tables, ${r.rows} rows`);
      print(r.previous ? `previous store kept as ${r.previous} (move it back to undo)` : 'there was no previous store');
      if (r.config) print(`config written to ${r.config}`);
    });

  backup
    .command('list')
    .description('backups in a folder, newest first')
    .argument('[dir]', 'folder (default backup.dir)')
    .option('--json', 'print JSON')
    .action(async (dir: string | undefined, o: { json?: boolean }, cmd: Command) => {
      const { backupContext, listBackups } = await backups();
      const list = listBackups(dir ?? backupContext({ configFile: globals(cmd).config }).dir);
      if (o.json) return printJson(list);
      if (!list.length) return print('no backups');
      print(
        table(
          ['created', 'size', 'file'],
          list.map((b) => [b.created_at, mb(b.size), b.file]),
        ),
      );
    });

  backup
    .command('prune')
    .description('remove backups older than the retention from the backup folder')
    .option('--keep-days <n>', 'days to keep (default backup.retention_days)', positiveInt('--keep-days'))
    .option('--dir <dir>', 'folder (default backup.dir)')
    .option('--json', 'print JSON')
    .action(async (o: { keepDays?: number; dir?: string; json?: boolean }, cmd: Command) => {
      const { backupContext, pruneBackups } = await backups();
      const ctx = backupContext({ configFile: globals(cmd).config });
      const r = pruneBackups(o.dir ?? ctx.dir, o.keepDays ?? ctx.config.backup.retention_days);
      if (o.json) return printJson(r);
      for (const b of r.removed) print(`removed ${b.name}`);
      print(`${r.removed.length} removed (taken before ${r.before}), ${r.kept} kept`);
    });
}
