import type { Command } from 'commander';
import { money, pct, price, table, units } from '../format.js';
import { print, printJson, withApi } from '../run.js';

export function registerDashboard(program: Command): void {
  program
    .command('dashboard')
    .description('portfolio overview: total value across venues, holdings (shorts as negative units and value), net and gross exposure, allocation per venue and asset')
    .option('--live', 'the live account; needs trading.mode: live in the config too')
    .option('--json', 'print as JSON (numbers at full precision)')
    .action(async (opts: { live?: boolean; json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const d = await api.trading.dashboard({ live: opts.live });
        if (opts.json) return printJson(d);
        const c = d.currency;
        const alloc = (rows: typeof d.byVenue) => rows.map((r) => [r.name, money(r.value, c), pct(r.fraction)]);
        const x = d.exposure;
        print(`${d.modeNote}\ntotal value ${money(d.totalValue, c)} ${c}`);
        // A short is negative units, value and share: it is owed, and its sale proceeds sit in cash.
        print(
          table(
            ['venue', 'asset', 'pair', 'side', 'units', 'price', `value (${c})`, 'unrealized P&L'],
            d.holdings.map((h) => [
              h.venue,
              h.asset,
              h.pair ?? '-',
              h.side,
              h.pair ? units(h.units, h.pair) : money(h.units, h.asset),
              h.pair ? price(h.price, h.pair) : '-',
              money(h.value, c),
              h.pair ? money(h.unrealizedPnl, c) : '-',
            ]),
          ),
        );
        print(`exposure: net ${money(x.net, c)} ${c} (${pct(x.netFraction)} of value), gross ${money(x.gross, c)} ${c} (${pct(x.grossFraction)})`);
        if (d.holdings.some((h) => h.side === 'short')) print(`cash counts the proceeds of short sales, against the assets the shorts owe`);
        print(`allocation by venue\n${table(['venue', 'value', 'share'], alloc(d.byVenue))}`);
        print(`allocation by asset\n${table(['asset', 'value', 'share'], alloc(d.byAsset))}`);
        for (const u of d.unvalued) print(`also held: ${money(u.total, u.currency)} ${u.currency} (not valued: no ${u.currency}/${d.currency} rate)`);
      });
    });
}
