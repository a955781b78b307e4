import type { Command } from 'commander';
import { units } from '../format.js';
import { print, printJson, withApi } from '../run.js';
import { confirm, failureOf, resultText } from './trading-format.js';

export function registerClose(program: Command): void {
  program
    .command('close')
    .description('close an open position with a market order, through the risk gate (only market-hours and stale-data checks apply to exits)')
    .argument('<position_id>', 'id listed by `ffe positions`')
    .option('-y, --yes', 'do not ask for confirmation (required when not on a terminal)')
    .option('--live', 'the live account; needs trading.mode: live in the config too')
    .option('--json', 'print the result as JSON (numbers at full precision)')
    .action(async (id: string, opts: { yes?: boolean; live?: boolean; json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const { mode, note } = api.trading.mode({ live: opts.live });
        if (!opts.json) print(note);
        // Nothing to confirm when there is no such position: say so first (exit 2).
        const pos = await api.trading.position(id, { live: opts.live });
        if (!(await confirm(`close position ${id} (${pos.side} ${units(pos.units, pos.pair)} ${pos.pair}) on the ${mode} account?`, opts.yes))) return print('cancelled; nothing was sent');
        const result = await api.trading.close(id, { live: opts.live });
        if (opts.json) printJson(result);
        else print(resultText(result));
        const failure = failureOf(result);
        if (failure) throw failure;
      });
    });
}
