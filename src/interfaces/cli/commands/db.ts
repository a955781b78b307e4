import type { Command } from 'commander';
import { globals, print, printJson } from '../run.js';

/** `ffe db status|migrate|copy`: the store's schema, and moving an installation between SQLite and PostgreSQL. */
export function registerDb(program: Command): void {
  const db = program.command('db').description('the store: engine, migrations, copying between SQLite and PostgreSQL');
  const url = async (cmd: Command, given?: string) => given ?? (await import('../../../application/database.js')).configuredStoreUrl({ file: globals(cmd).config });
  db.command('status')
    .description('engine, location (password masked), applied and pending migrations')
    .option('--url <url>', 'the store to look at (default: database.url)')
    .option('--json', 'print JSON')
    .action(async (o: { url?: string; json?: boolean }, cmd: Command) => {
      const { databaseStatus } = await import('../../../application/database.js');
      const s = await databaseStatus(await url(cmd, o.url));
      if (o.json) return printJson(s);
      print(`engine: ${s.engine}`);
      print(`location: ${s.location}`);
      print(`migrations: ${s.applied.length} applied, ${s.pending.length} pending${s.pending.length ? ` (${s.pending.join(', ')}; run ffe db migrate)` : ''}`);
    });
  db.command('migrate')
    .description('apply the pending migrations (FFE also does this when it opens the store)')
    .option('--url <url>', 'the store to migrate (default: database.url)')
    .action(async (o: { url?: string }, cmd: Command) => {
      const { databaseMigrate } = await import('../../../application/database.js');
      const r = await databaseMigrate(await url(cmd, o.url));
      print(r.applied.length ? `${r.location}: applied ${r.applied.join(', ')}` : `${r.location}: up to date, nothing to apply`);
    });
  db.command('copy')
    .description('copy every table of one store into another (schema created on the target, one transaction), then verify the row counts')
    .requiredOption('--from <url>', 'the source: sqlite:PATH or postgres://...')
    .requiredOption('--to <url>', 'the target: sqlite:PATH or postgres://...')
    .option('--force', 'replace the rows a non-empty target holds')
    .option('--json', 'print JSON')
    .action(async (o: { from: string; to: string; force?: boolean; json?: boolean }) => {
      const { databaseCopy } = await import('../../../application/database.js');
      const r = await databaseCopy(o.from, o.to, { force: o.force });
      if (o.json) return printJson(r);
      print(`copied ${r.from} → ${r.to}`);
      for (const t of r.tables) print(`${t.table.padEnd(24)} ${String(t.target).padStart(8)} rows`);
      print(`verified: ${r.tables.length} tables, ${r.tables.reduce((n, t) => n + t.target, 0)} rows, counts match`);
    });
}
