import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { price, table } from '../format.js';
import { print, printJson, withApi } from '../run.js';

export const positiveInt =
  (name: string) =>
  (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a whole number ≥ 1 (got "${v}")`);
    return n;
  };

export function registerHistory(program: Command): void {
  program
    .command('history')
    .description('list stored decisions, newest first')
    .option('-a, --asset <pair>', 'only this pair')
    .option('-l, --limit <n>', 'how many', positiveInt('--limit'), 10)
    .option('--json', 'print the records as JSON (numbers at full precision)')
    .action(async (opts: { asset?: string; limit: number; json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const list = await api.trading.decisions({ asset: opts.asset, limit: opts.limit });
        if (opts.json) return printJson(list);
        if (list.length === 0) return print('no decisions stored yet; run `ffe analyze BTCUSD`');
        print(
          table(
            ['id', 'pair', 'data time', 'action', 'conf', 'price', 'provider', 'executed'],
            list.map((d) => [d.id, d.assetPair, d.timestamp.replace('.000Z', 'Z'), d.action, d.confidence, price(d.entryPrice, d.assetPair), d.provider, d.executed ? 'yes' : 'no']),
          ),
        );
      });
    });
}
