import type { Command } from 'commander';
import { FfeError } from '../../../core/errors.js';
import { reconcileCode, reconcileText } from '../../../execution/reconcile.js';
import { print, printJson, withApp } from '../run.js';

export function registerReconcile(program: Command): void {
  program
    .command('reconcile')
    .description("settle unfinished orders by client order id and compare the journal's positions with the venue's")
    .option('--live', 'the live account; needs trading.mode: live in the config too')
    .option('--accept', "adopt the venue's positions where they differ from the journal (after you have checked why)")
    .option('--json', 'print the report as JSON')
    .addHelpText('after', '\nExit codes: 0 journal and venue agree; 1 mismatch or orders whose outcome is still unknown (trading stays halted).')
    .action(async (opts: { live?: boolean; accept?: boolean; json?: boolean }, cmd: Command) => {
      await withApp(cmd, async (app) => {
        const { mode, note } = app.execution.mode({ live: opts.live });
        const report = opts.accept ? await app.execution.acceptVenuePositions(mode, 'accepted with `ffe reconcile --accept`') : await app.execution.reconcile(mode);
        if (opts.json) printJson(report);
        else print(`${note}\n${reconcileText(report)}`);
        if (!report.ok) throw new FfeError('runtime', reconcileCode(report), 'trading halted until the journal matches the venue (report above)');
      });
    });
}
