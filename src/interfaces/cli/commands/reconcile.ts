import type { Command } from 'commander';
import { print, printJson, withApi } from '../run.js';

export function registerReconcile(program: Command): void {
  program
    .command('reconcile')
    .description("settle unfinished orders by client order id and compare the journal's positions with the venue's")
    .option('--live', 'the live account; needs trading.mode: live in the config too')
    .option('--accept', "adopt the venue's positions where they differ from the journal (after you have checked why)")
    .option('--json', 'print the report as JSON (numbers at full precision)')
    .addHelpText('after', '\nExit codes: 0 journal and venue agree; 1 mismatch or orders whose outcome is still unknown (trading stays halted).')
    .action(async (opts: { live?: boolean; accept?: boolean; json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const { reconcileHalt, reconcileText } = await import('../../../application/vocabulary.js');
        const { modeNote: note, report, code } = await api.trading.reconcile({ live: opts.live, accept: opts.accept });
        if (opts.json) printJson(report);
        else print(`${note}\n${reconcileText(report)}`);
        if (code) throw reconcileHalt(code);
      });
    });
}
