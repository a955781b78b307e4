import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { inputError } from '../../../core/errors.js';
import { classifyPair } from '../../../core/pair.js';
import { parseTimeframe } from '../../../core/timeframe.js';
import { parseCandleCsv } from '../../../data/csv/parse-candles.js';
import { iso, table } from '../format.js';
import { print, printJson, withApp } from '../run.js';

export function registerData(program: Command): void {
  const data = program.command('data').description('market data: import your own candles, list what is available');

  data
    .command('import')
    .description('validate a CSV of candles and store it (all rows or none)')
    .argument('<file>', 'CSV with a header: timestamp,open,high,low,close[,volume]')
    .requiredOption('--pair <pair>', 'asset pair the candles belong to, e.g. BTCUSD')
    .requiredOption('--timeframe <tf>', 'bar size: 1m, 5m, 15m, 1h, 4h or 1d')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts: { pair: string; timeframe: string; json?: boolean }, cmd: Command) => {
      const pair = classifyPair(opts.pair).symbol;
      const tf = parseTimeframe(opts.timeframe);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        throw inputError('FILE_UNREADABLE', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
      }
      // Parse and validate everything before touching the store: a bad row imports nothing.
      const candles = parseCandleCsv(text, { name: file });
      await withApp(cmd, async (app) => {
        const { inserted } = await app.store.candles.importSeries(pair, tf, candles, file);
        const result = { pair, timeframe: tf, rows: inserted, first: iso(candles[0].timestamp), last: iso(candles[candles.length - 1].timestamp) };
        if (opts.json) printJson(result);
        else print(`imported ${inserted} ${tf} bars of ${pair} (${result.first} → ${result.last}); they now take precedence over the bundled sample`);
      });
    });

  data
    .command('list')
    .description('list every pair and timeframe available (imported and bundled)')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withApp(cmd, async (app) => {
        const series = await app.marketData.list();
        if (opts.json) return printJson(series);
        print(table(['pair', 'tf', 'bars', 'first', 'last', 'origin', 'source'], series.map((s) => [s.pair, s.timeframe, s.bars, iso(s.first), iso(s.last), s.origin, s.source])));
      });
    });
}
