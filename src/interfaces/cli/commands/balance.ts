import type { Command } from 'commander';
import { money, table } from '../format.js';
import { print, printJson, withApi } from '../run.js';

export function registerBalance(program: Command): void {
  program
    .command('balance')
    .description('account equity and balances (paper unless trading.mode is live AND --live)')
    .option('--live', 'the live account; needs trading.mode: live in the config too')
    .option('--json', 'print as JSON (numbers at full precision)')
    .action(async (opts: { live?: boolean; json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const s = await api.trading.balance({ live: opts.live });
        if (opts.json) return printJson(s);
        print(`${s.modeNote}\nvenue ${s.venue}: equity ${money(s.equity, s.currency)} ${s.currency}`);
        print(
          table(
            ['currency', 'total', 'available'],
            s.balances.map((b) => [b.currency, money(b.total, b.currency), money(b.available, b.currency)]),
          ),
        );
      });
    });
}
