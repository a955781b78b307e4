import type { Command } from 'commander';
import { withRunner } from '../../../app/runner.js';
import { defaultSpace } from '../../../backtest/params.js';
import { planWindows, walkForward } from '../../../backtest/walk-forward.js';
import { inputError } from '../../../core/errors.js';
import { TIMEFRAME_MS } from '../../../core/timeframe.js';
import { iso, num, pct, table } from '../format.js';
import { print, printJson, withApp } from '../run.js';
import { addRunOptions, type RunFlags } from './backtest.js';
import { addSearchOptions, SEARCH_HELP, searchFromFlags, searchSpace, sourceKey, type SearchFlags } from './optimize.js';

export function registerWalkForward(program: Command): void {
  addSearchOptions(addRunOptions(program.command('walk-forward').description('optimise on rolling (or anchored) training windows, evaluate out of sample, grade overfitting')))
    .option('--train-ratio <r>', 'share of each window used for training (default backtest.walk_forward.train_ratio)')
    .option('--windows <n>', 'number of windows (default backtest.walk_forward.windows)')
    .option('--anchored', 'every training window starts at --start')
    .addHelpText('after', SEARCH_HELP)
    .action(async (pairs: string, o: RunFlags & SearchFlags & { trainRatio?: string; windows?: string; anchored?: boolean }, cmd: Command) => {
      const { req, s, ranges } = searchFromFlags(pairs, o);
      await withApp(cmd, async (app) => {
        const { def, given } = searchSpace(app, req, ranges);
        const wf = app.config.backtest.walk_forward;
        const ratio = o.trainRatio === undefined ? wf.train_ratio : Number(o.trainRatio);
        if (!(ratio > 0 && ratio < 1)) throw inputError('FLAG_INVALID', `--train-ratio must be in (0, 1), got "${o.trainRatio}"`);
        const count = o.windows === undefined ? wf.windows : Number(o.windows);
        if (!(Number.isInteger(count) && count >= 1)) throw inputError('FLAG_INVALID', `--windows must be a positive integer, got "${o.windows}"`);
        const barMs = TIMEFRAME_MS[req.timeframe ?? app.config.backtest.timeframe];
        // Checked before any data is loaded: a span too short is the caller's to fix.
        const plans = planWindows(req.start, req.end, ratio, count, !!o.anchored, barMs);
        const warmup = app.config.data.history_bars;
        const res = await withRunner(app, req, s.runner, (runner, inputs) =>
          walkForward(runner, { def, space: given ?? defaultSpace(def, inputs.settings), method: s.method, samples: s.samples, score: s.score, warmup, seed: s.seed }, plans, !!o.anchored),
        );
        if (o.json) return printJson({ ...sourceKey(req, def), objective: o.objective, ...res });
        print(`${def.name} walk-forward on ${req.pairs.join(', ')}: ${res.windows.length} ${res.anchored ? 'anchored' : 'rolling'} windows, train ratio ${ratio}, objective ${o.objective}`);
        print(
          table(
            ['#', 'train', 'test', 'best params', `IS ${o.objective}`, `OOS ${o.objective}`, 'IS return', 'OOS return', 'OOS trades'],
            res.windows.map((w, k) => [
              k + 1,
              `${iso(w.trainStart).slice(0, 10)} → ${iso(w.trainEnd).slice(0, 10)}`,
              `${iso(w.testStart).slice(0, 10)} → ${iso(w.testEnd).slice(0, 10)}`,
              Object.entries(w.best).map(([kk, v]) => `${kk}=${num(v, 4)}`).join(' '),
              num(w.inSampleScore, 3),
              num(w.outOfSampleScore, 3),
              pct(w.inSample.totalReturn),
              pct(w.outOfSample.totalReturn),
              w.outOfSample.tradeCount,
            ]),
          ),
        );
        const a = res.aggregate;
        print(`out of sample: chained return ${pct(a.outOfSampleReturn)}, mean ${o.objective} ${num(a.meanOutOfSampleScore, 3)} (in sample ${num(a.meanInSampleScore, 3)}), ${a.outOfSampleTrades} trades`);
        print(`verdict: ${res.verdict.text} (severity ${res.verdict.severity})`);
      });
    });
}
