import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { renderSearchReport } from '../../../application/vocabulary.js';
import { inputError } from '../../../core/errors.js';
import { count, iso, num, objectiveLabel, objectiveValue, pct, ratio, table } from '../format.js';
import { checkOutputPath } from '../output-path.js';
import { print, printJson, withApi } from '../run.js';
import { cancelOnSigint } from '../cancel.js';
import { addRunOptions, type RunFlags } from './backtest.js';
import { addSearchOptions, SEARCH_HELP, searchFromFlags, sourceKey, type SearchFlags } from './optimize.js';

export function registerWalkForward(program: Command): void {
  addSearchOptions(addRunOptions(program.command('walk-forward').description('optimise on rolling (or anchored) training windows, evaluate out of sample, grade overfitting')))
    .option('--train-ratio <r>', 'share of each window used for training (default backtest.walk_forward.train_ratio)')
    .option('--windows <n>', 'number of windows (default backtest.walk_forward.windows)')
    .option('--anchored', 'every training window starts at --start')
    .option('--report <file>', 'write a self-contained HTML report: out-of-sample Sharpe interval, PBO, DSR, verdict and the windows')
    .addHelpText('after', SEARCH_HELP)
    .action(async (pairs: string, o: RunFlags & SearchFlags & { trainRatio?: string; windows?: string; anchored?: boolean; report?: string }, cmd: Command) => {
      const { req, s, ranges } = searchFromFlags(pairs, o);
      if (o.report) checkOutputPath(o.report);
      const trainRatio = o.trainRatio === undefined ? undefined : Number(o.trainRatio);
      if (trainRatio !== undefined && !(trainRatio > 0 && trainRatio < 1)) throw inputError('FLAG_INVALID', `--train-ratio must be in (0, 1), got "${o.trainRatio}"`);
      const windows = o.windows === undefined ? undefined : Number(o.windows);
      if (windows !== undefined && !(Number.isInteger(windows) && windows >= 1)) throw inputError('FLAG_INVALID', `--windows must be a positive integer, got "${o.windows}"`);
      await withApi(cmd, async (api) => {
        const { def, ratio: usedRatio, ...res } = await cancelOnSigint((signal) => api.backtests.walkForward(req, { ...s, ranges }, { trainRatio, windows, anchored: !!o.anchored }, { signal }));
        if (o.json) return printJson({ ...sourceKey(req, def), objective: o.objective, ...res });
        const label = objectiveLabel(o.objective);
        const score = (x: number) => objectiveValue(o.objective, x);
        print(`${def.name} walk-forward on ${req.pairs.join(', ')}: ${res.windows.length} ${res.anchored ? 'anchored' : 'rolling'} windows, train ratio ${usedRatio}, objective ${label}`);
        const head = ['#', 'train', 'test', 'best params', ...(o.objective === 'return' ? [] : [`IS ${label}`, `OOS ${label}`]), 'IS total return', 'OOS total return', 'OOS trades'];
        const rows = res.windows.map((w, k) => [
          String(k + 1),
          `${iso(w.trainStart).slice(0, 10)} → ${iso(w.trainEnd).slice(0, 10)}`,
          `${iso(w.testStart).slice(0, 10)} → ${iso(w.testEnd).slice(0, 10)}`,
          Object.entries(w.best)
            .map(([kk, v]) => `${kk}=${num(v, 4)}`)
            .join(' '),
          ...(o.objective === 'return' ? [] : [score(w.inSampleScore), score(w.outOfSampleScore)]),
          pct(w.inSample.totalReturn),
          pct(w.outOfSample.totalReturn),
          count(w.outOfSample.tradeCount),
        ]);
        print(table(head, rows));
        const a = res.aggregate;
        const statistics: [string, string][] = [
          ['out of sample:', `chained total return ${pct(a.outOfSampleReturn)}, mean ${label} ${score(a.meanOutOfSampleScore)} (in sample ${score(a.meanInSampleScore)}), ${count(a.outOfSampleTrades)} trades`],
        ];
        const oos = a.outOfSampleSharpe;
        if (oos)
          statistics.push([
            'out-of-sample Sharpe',
            `${ratio(oos.estimate)} (95% block-bootstrap CI ${ratio(oos.lower)} to ${ratio(oos.upper)}); mean PBO ${a.meanPbo === null ? '–' : num(a.meanPbo, 3)}, median DSR ${a.medianDsr === null ? '–' : num(a.medianDsr, 3)} over the windows' searches`,
          ]);
        for (const [k, v] of statistics) print(`${k} ${v}`);
        print(`verdict: ${res.verdict.text} (severity ${res.verdict.severity})`);
        if (o.report) {
          const title = `${def.name} walk-forward on ${req.pairs.join(', ')}: ${res.windows.length} ${res.anchored ? 'anchored' : 'rolling'} windows, train ratio ${usedRatio}, objective ${label}`;
          writeFileSync(o.report, renderSearchReport({ title, statistics, verdict: res.verdict, table: { head, rows } }));
          print(`report written to ${o.report}`);
        }
      });
    });
}
