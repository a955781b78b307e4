import type { Command } from 'commander';
import { num, pct, table } from '../format.js';
import { print, printJson, withApi } from '../run.js';

export function registerDashboard(program: Command): void {
  program
    .command('dashboard')
    .description('portfolio overview: total value across venues, holdings, allocation per venue and asset')
    .option('--live', 'the live account; needs trading.mode: live in the config too')
    .option('--json', 'print as JSON')
    .action(async (opts: { live?: boolean; json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const d = await api.trading.dashboard({ live: opts.live });
        if (opts.json) return printJson(d);
        const alloc = (rows: typeof d.byVenue) => rows.map((r) => [r.name, num(r.value, 2), pct(r.fraction)]);
        print(`${d.modeNote}\ntotal value ${num(d.totalValue, 2)} ${d.currency}`);
        print(
          table(
            ['venue', 'asset', 'pair', 'side', 'units', 'price', `value (${d.currency})`, 'unrealized P&L'],
            d.holdings.map((h) => [h.venue, h.asset, h.pair ?? '-', h.side, num(h.units), num(h.price), num(h.value, 2), num(h.unrealizedPnl, 2)]),
          ),
        );
        print(`allocation by venue\n${table(['venue', 'value', 'share'], alloc(d.byVenue))}`);
        print(`allocation by asset\n${table(['asset', 'value', 'share'], alloc(d.byAsset))}`);
        for (const u of d.unvalued) print(`also held: ${u.total} ${u.currency} (not valued: no ${u.currency}/${d.currency} rate)`);
      });
    });
}
