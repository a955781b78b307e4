import type { Command } from 'commander';
import { print, printJson, withApi } from '../run.js';
import { positionsTable } from './trading-format.js';

export function registerPositions(program: Command): void {
  program
    .command('positions')
    .description('open positions (paper unless trading.mode is live AND --live)')
    .option('--live', 'the live account; needs trading.mode: live in the config too')
    .option('--json', 'print as JSON (numbers at full precision)')
    .action(async (opts: { live?: boolean; json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const s = await api.trading.positions({ live: opts.live });
        if (opts.json) return printJson(s);
        print(s.modeNote);
        print(s.positions.length ? positionsTable(s.positions) : `no open positions on ${s.venue}`);
      });
    });
}
