import type { Command } from 'commander';
import { price, units } from '../format.js';
import { print, printJson, withApi } from '../run.js';
import { confirm, failureOf, gateText, resultText } from './trading-format.js';

export function registerExecute(program: Command): void {
  program
    .command('execute')
    .description('send the order of a stored decision through the risk gate to the venue (paper unless trading.mode is live AND --live)')
    .argument('<decision_id>', 'id printed by `ffe analyze` (or listed by `ffe history`)')
    .option('-y, --yes', 'do not ask for confirmation (required when not on a terminal)')
    .option('--live', 'trade on the live account; needs trading.mode: live in the config too')
    .option('--json', 'print the preview and result as JSON (numbers at full precision)')
    .addHelpText(
      'after',
      '\nExit codes: 0 filled/accepted; 1 refused by the risk gate (reason codes printed), rejected by the venue, outcome unknown or reconcile mismatch; 2 bad input (unknown id, HOLD, already executed, no --yes off a terminal).',
    )
    .action(async (id: string, opts: { yes?: boolean; live?: boolean; json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const preview = await api.trading.previewExecution(id, { live: opts.live });
        const d = preview.decision;
        if (!opts.json) {
          print(preview.modeNote);
          print(`decision ${d.id}: ${d.assetPair} ${d.action} at ${price(d.entryPrice, d.assetPair)} (confidence ${d.confidence}%)`);
          for (const l of preview.legs)
            print(
              `order: ${l.side} ${units(l.units, l.pair)} ${l.pair} market${l.kind === 'close' ? ` (closes position ${l.positionId})` : ''}${l.stopLossPrice ? `, stop ${price(l.stopLossPrice, l.pair)}` : ''}${l.takeProfitPrice ? `, take profit ${price(l.takeProfitPrice, l.pair)}` : ''} on ${preview.venue}`,
            );
          print(gateText(preview.gate));
        }
        if (preview.gate.approved && !(await confirm(`send to ${preview.venue} (${preview.mode})?`, opts.yes))) {
          if (opts.json) printJson({ preview, result: null, cancelled: true });
          else print('cancelled; nothing was sent');
          return;
        }
        // Denied or not, the order goes the one way: execute runs the gate again on fresh data.
        const result = await api.trading.execute(id, { live: opts.live });
        if (opts.json) printJson({ preview, result });
        else print(resultText(result, false));
        const failure = failureOf(result);
        if (failure) throw failure;
      });
    });
}
