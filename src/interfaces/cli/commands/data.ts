import type { Command } from 'commander';
import { iso, table } from '../format.js';
import { print, printJson, withApi } from '../run.js';

export function registerData(program: Command): void {
  const data = program.command('data').description('market data: import your own candles, list what is available');

  data
    .command('import')
    .description('validate a CSV of candles and store it (all rows or none)')
    .argument('<file>', 'CSV with a header: timestamp,open,high,low,close[,volume]')
    .requiredOption('--pair <pair>', 'asset pair the candles belong to, e.g. BTCUSD')
    .requiredOption('--timeframe <tf>', 'bar size: 1m, 5m, 15m, 1h, 4h or 1d')
    .option('--allow-gaps', 'store the file even if bars are missing while the market was open (default: refuse, exit 2, nothing stored)')
    .option('--json', 'print the result as JSON (numbers at full precision)')
    .action(async (file: string, opts: { pair: string; timeframe: string; allowGaps?: boolean; json?: boolean }, cmd: Command) => {
      // Parse and validate everything before touching the store: a bad row or an off-grid stamp imports nothing.
      const { readCandleFile } = await import('../../../application/system.js');
      const parsed = readCandleFile(file, opts.pair, opts.timeframe);
      await withApi(cmd, async (api) => {
        const r = await api.market.importCandles(parsed, { allowGaps: opts.allowGaps });
        const result = { pair: r.pair, timeframe: r.timeframe, rows: r.rows, first: iso(r.first), last: iso(r.last), quality: r.quality };
        if (opts.json) printJson(result);
        else print(`imported ${r.rows} ${r.timeframe} bars of ${r.pair} (${result.first} → ${result.last}), ${r.quality.summary}; they now take precedence over the bundled sample`);
      });
    });

  data
    .command('check')
    .description('check stored candles: every timestamp on its timeframe grid, gaps (count, longest, where); market closures are not gaps')
    .argument('<pair>', 'asset pair, e.g. BTCUSD')
    .option('--timeframe <tf>', 'one stored timeframe (default: every stored one)')
    .option('--json', 'print as JSON')
    .action(async (pair: string, opts: { timeframe?: string; json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const reports = await api.market.check({ pair, timeframe: opts.timeframe });
        if (opts.json) return printJson(reports);
        for (const r of reports) {
          print(`${r.pair} ${r.timeframe} (${r.origin}, ${r.source}): ${r.bars} bars ${r.first} → ${r.last}`);
          print(`  grid: ${r.offGrid === 0 ? 'every bar on it' : `${r.offGrid} bars off it, first at ${r.firstOffGrid}`}`);
          print(`  gaps: ${r.summary}${r.closedBars ? ` (${r.closedBars} bars absent while the market was closed: expected)` : ''}`);
          for (const g of r.list) print(`    ${g!.missing} missing between ${g!.after} and ${g!.before}`);
          if (r.gaps > r.list.length) print(`    … ${r.gaps - r.list.length} more`);
          if (r.assetClass === 'stock' && r.gaps > 0) print('  (there is no holiday calendar: market holidays show as gaps)');
        }
      });
    });

  data
    .command('download')
    .description('fetch OHLCV history from an exchange through ccxt (paginated, rate-limited), validated like an import and stored page by page; run it again to resume after the last stored bar')
    .argument('<pairs...>', 'pairs as the exchange lists them, e.g. BTCUSDT ETH/BTC')
    .requiredOption('--timeframe <tf>', 'bar size: 1m, 5m, 15m, 1h, 4h or 1d')
    .requiredOption('--from <date>', 'first bar (YYYY-MM-DD or ISO 8601, UTC)')
    .option('--to <date>', 'end, exclusive (default: now)')
    .requiredOption('--exchange <name>', 'ccxt exchange id, e.g. binance, kraken, coinbase')
    .option('--allow-gaps', 'store history with bars missing while the market was open (default: stop at the first gap, exit 2; what came before it stays stored)')
    .option('--base-url <url>', "replace the exchange's API host (a proxy or a testnet)")
    .option('--page-limit <n>', 'bars per request (default: the exchange maximum)', (v) => Number(v))
    .option('--json', 'print as JSON')
    .action(async (pairs: string[], opts: { timeframe: string; from: string; to?: string; exchange: string; allowGaps?: boolean; baseUrl?: string; pageLimit?: number; json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const res = await api.market.download({ pairs, ...opts });
        if (opts.json) return printJson(res);
        for (const r of res)
          print(
            `${r.pair} ${r.timeframe} from ${r.exchange} (${r.market}): ${r.bars} bars in ${r.pages} pages${r.resumed ? `, resumed at ${r.start}` : ''}${r.bars ? ` (${r.first} → ${r.last})` : ''}, ${r.quality.summary}`,
          );
      });
    });

  data
    .command('list')
    .description('list every pair and timeframe available (imported and bundled)')
    .option('--json', 'print as JSON (numbers at full precision)')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const series = await api.system.listData();
        if (opts.json) return printJson(series);
        print(
          table(
            ['pair', 'tf', 'bars', 'first', 'last', 'origin', 'source'],
            series.map((s) => [s.pair, s.timeframe, s.bars, iso(s.first), iso(s.last), s.origin, s.source]),
          ),
        );
      });
    });
}
