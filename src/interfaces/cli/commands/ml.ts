import type { Command } from 'commander';
import type { CallScore, ModelSummary } from '../../../application/ml.js';
import { parseTimeframe } from '../../../core/timeframe.js';
import { table } from '../format.js';
import { print, printJson, withApi } from '../run.js';

const pairList = (s: string) =>
  s
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
const pct = (x: number | null) => (x === null ? '-' : `${(100 * x).toFixed(1)}%`);

function describe(m: ModelSummary): string {
  const v = m.training.validation;
  return [
    `model ${m.id} (${m.path})`,
    `  pairs ${m.pairs.join(', ')}; ${m.timeframe} bars, horizon ${m.horizon} bars, HOLD within ±${(100 * m.cost).toFixed(2)}%`,
    `  trained on decisions ${m.window.from} → labels known by ${m.window.until}; ${m.training.samples} samples (${Object.entries(m.training.perPair)
      .map(([p, n]) => `${p} ${n}`)
      .join(', ')}), fitted on at most ${m.params.maxSamples}`,
    `  ${m.library.name} ${m.library.version}: ${m.params.nEstimators} trees, depth ≤ ${m.params.maxDepth}, ${m.features.length} features, seed ${m.params.seed}; ${m.training.seconds.toFixed(1)} s`,
    `  hold-out (last 20 %, purged): accuracy ${pct(v.accuracy)} vs always-majority ${pct(m.training.majorityValidationAccuracy)}; class shares SELL ${pct(m.training.classShares[0])} HOLD ${pct(m.training.classShares[1])} BUY ${pct(m.training.classShares[2])}`,
  ].join('\n');
}

const scoreRow = (who: string, pair: string, s: CallScore) => [pair, who, pct(s.accuracy), pct(s.precision.SELL), pct(s.precision.HOLD), pct(s.precision.BUY), pct(s.directionalHitRate), s.directionalCalls];

export function registerMl(program: Command): void {
  const ml = program.command('ml').description('the ml decision provider: train its model walk-forward, evaluate it out of sample against the rules, describe it');

  ml.command('train')
    .description('fit a random forest on the pairs’ features with labels known by --until, and write the model file')
    .argument('<pairs>', 'pair or comma-separated pairs, e.g. BTCUSD,ETHUSD')
    .requiredOption('--until <date>', 'no label after this is read (YYYY-MM-DD or ISO time, UTC); the provider refuses decisions before it')
    .option('--from <date>', 'first decision time (default: the start of the data)')
    .option('--timeframe <tf>', 'bar size of the decisions and the horizon', '1h')
    .option('--horizon <n>', 'bars ahead the label looks', '12')
    .option('--out <file>', 'model file (default: the configured ml provider’s model_file, else <data home>/models/ml.json)')
    .option('--json', 'print the model description as JSON')
    .action(async (pairs: string, o: { until: string; from?: string; timeframe: string; horizon: string; out?: string; json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const { parseDate } = await import('../../../application/vocabulary.js');
        const m = await api.ml.train({
          pairs: pairList(pairs),
          until: parseDate(o.until, '--until'),
          from: o.from ? parseDate(o.from, '--from') : undefined,
          timeframe: parseTimeframe(o.timeframe),
          horizon: Number(o.horizon),
          out: o.out,
        });
        if (o.json) printJson(m);
        else print(describe(m));
      });
    });

  ml.command('evaluate')
    .description('out-of-sample accuracy of the model on [--from, --to], against the rules provider on the same bars and the always-majority baseline')
    .argument('<pairs>', 'pair or comma-separated pairs')
    .requiredOption('--from <date>', 'first decision time; must be at or after the model’s training end')
    .requiredOption('--to <date>', 'labels known by then')
    .option('--file <file>', 'model file (default: as ml train writes it)')
    .option('--json', 'print JSON (numbers at full precision)')
    .action(async (pairs: string, o: { from: string; to: string; file?: string; json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const { parseDate } = await import('../../../application/vocabulary.js');
        const r = await api.ml.evaluate({ pairs: pairList(pairs), from: parseDate(o.from, '--from'), to: parseDate(o.to, '--to'), file: o.file });
        if (o.json) return printJson(r);
        print(`model ${r.model.id}, ${r.model.timeframe} bars, horizon ${r.model.horizon}; out of sample ${o.from} → ${o.to}`);
        print(
          table(
            ['pair', 'calls by', 'accuracy', 'prec SELL', 'prec HOLD', 'prec BUY', 'direction hit', 'BUY/SELL calls'],
            r.pairs.flatMap((p) => [scoreRow('ml', p.pair, p.ml), scoreRow('rules', p.pair, p.rules), [p.pair, 'majority', pct(p.majorityAccuracy), '', '', '', '', 0]]),
          ),
        );
        print(r.pairs.map((p) => `${p.pair}: ${p.samples} bars; labels SELL ${pct(p.classShares[0])} HOLD ${pct(p.classShares[1])} BUY ${pct(p.classShares[2])}`).join('\n'));
      });
    });

  ml.command('info')
    .description('describe a model file: window, features, library, training metrics')
    .argument('[file]', 'model file (default: as ml train writes it)')
    .option('--json', 'print JSON')
    .action(async (file: string | undefined, o: { json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const m = api.ml.info(file);
        if (o.json) printJson(m);
        else print(`${describe(m)}\n  features: ${m.features.join(', ')}`);
      });
    });
}
