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
    .option('--json', 'print the result as JSON (numbers at full precision)')
    .action(async (file: string, opts: { pair: string; timeframe: string; json?: boolean }, cmd: Command) => {
      // Parse and validate everything before touching the store: a bad row imports nothing.
      const { readCandleFile } = await import('../../../application/system.js');
      const parsed = readCandleFile(file, opts.pair, opts.timeframe);
      await withApi(cmd, async (api) => {
        const r = await api.system.importCandles(parsed);
        const result = { pair: r.pair, timeframe: r.timeframe, rows: r.rows, first: iso(r.first), last: iso(r.last) };
        if (opts.json) printJson(result);
        else print(`imported ${r.rows} ${r.timeframe} bars of ${r.pair} (${result.first} → ${result.last}); they now take precedence over the bundled sample`);
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
