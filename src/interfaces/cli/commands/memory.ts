import type { Command } from 'commander';
import type { FfeApi } from '../../../application/api.js';
import type { GroupStats } from '../../../application/types.js';
import { parseDate } from '../../../application/vocabulary.js';
import { inputError } from '../../../core/errors.js';
import { isTimeframe } from '../../../core/timeframe.js';
import { count, iso, money, pct, ratio, table } from '../format.js';
import { print, printJson, withApi } from '../run.js';

/** Replay learning lives in its sandbox and is labelled so; the account's own is not. */
const learningLabel = (l: { kind: 'replay' | 'account'; sandbox: string | null }) => (l.kind === 'replay' ? `replay learning (sandbox ${l.sandbox}; the account's memory is separate)\n` : '');

const statRows = (gs: GroupStats[]) => gs.map((g) => [g.key, count(g.n), pct(g.hitRate), pct(g.avgReturn), ratio(g.sharpe), ratio(g.sortino), ratio(g.calibration.brier, 3)]);
const STAT_HEAD = ['', 'n', 'hit rate', 'avg return', 'Sharpe/trade', 'Sortino/trade', 'Brier'];

type RecommendationMemory = Awaited<ReturnType<FfeApi['investor']['recommendations']['memory']>>;

/** Recommendation outcomes: their own sample, labelled, beside (never inside) the closed-trade statistics above. */
function printRecommendations(m: RecommendationMemory): void {
  const samples = m.feedback_classes.reduce((a, c) => a + c.samples, 0);
  print(`\nrecommendations (a separate sample: measured daily recommendations, not trades; weight ${m.factor} of a trade where blended):`);
  if (!m.providers.length && !samples) return print('no measured recommendations yet (`ffe recommendations run`; outcomes are measured at the horizon)');
  const head = ['', 'n', 'hits', 'accuracy', 'avg return'];
  const r = (k: string, x: { samples: number; hits: number; accuracy: number | null; avg_return: number | null }) => [k, count(x.samples), count(x.hits), pct(x.accuracy), pct(x.avg_return)];
  print('per provider (each judged by its own BUY/SELL vote, after costs):');
  print(
    table(
      head,
      m.providers.map((p) => r(p.provider, p)),
    ),
  );
  print('per feedback class (ratings count only with the feedback_learning consent):');
  print(
    table(
      head,
      m.feedback_classes.map((c) => r(c.class, c)),
    ),
  );
  print(`blended hit rate per provider (trades + ${m.factor} × recommendations):`);
  print(
    table(
      ['', 'trades', 'trade hit rate', 'recommendations', 'rec. hit rate', 'blended'],
      m.blended.map((b) => [b.provider, count(b.trades), pct(b.trade_hit_rate), count(b.recommendations), pct(b.recommendation_hit_rate), pct(b.blended_hit_rate)]),
    ),
  );
}

type Evidence = Awaited<ReturnType<FfeApi['insight']['memoryEvaluate']>>;

const ci = (c: { estimate: number; lower: number; upper: number }, f: (x: number) => string) => `${f(c.estimate)} [${f(c.lower)}, ${f(c.upper)}]`;

function printEvidence(r: Evidence): void {
  print(
    `${r.pair} ${r.timeframe}, ${count(r.bars)} bars, providers ${r.providers.join(', ')} (configured weights ${Object.entries(r.configured)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}); round trip ${pct(r.cost, 2)}; gate α ${r.gateAlpha}`,
  );
  const schemes = ['adaptive', 'equal', 'frozen'] as const;
  print(
    table(
      ['#', 'train from', 'test', 'bars', ...schemes.flatMap((s) => [`${s} return`, `${s} Sharpe`]), 'adaptive weights at end'],
      r.windows.map((w, k) => [
        k + 1,
        iso(w.trainStart).slice(0, 10),
        `${iso(w.testStart).slice(0, 10)} → ${iso(w.testEnd).slice(0, 10)}`,
        count(w.bars),
        ...schemes.flatMap((s) => [pct(w.schemes[s].totalReturn), ratio(w.schemes[s].sharpe)]),
        Object.entries(w.finalWeights)
          .map(([p, v]) => `${p} ${v.toFixed(2)}`)
          .join(', '),
      ]),
    ),
  );
  print(`out of sample, all test bars chained: ${schemes.map((s) => `${s} ${pct(r.overall[s].totalReturn)} (Sharpe ${ratio(r.overall[s].sharpe)}, ${count(r.overall[s].trades)} trades)`).join('; ')}`);
  const sharpe = (x: number) => ratio(x);
  print(`adaptive − equal: return ${ci(r.adaptiveVsEqual.totalReturn, (x) => pct(x))}, Sharpe ${ci(r.adaptiveVsEqual.sharpe, sharpe)}`);
  print(`adaptive − frozen: return ${ci(r.adaptiveVsFrozen.totalReturn, (x) => pct(x))}, Sharpe ${ci(r.adaptiveVsFrozen.sharpe, sharpe)}`);
  print(`(95 % paired stationary block bootstrap, mean block ${r.adaptiveVsEqual.totalReturn.block.toFixed(1)} bars, ${r.adaptiveVsEqual.totalReturn.reps} resamples; an interval spanning 0 is no evidence either way)`);
  for (const n of r.notes) print(`note: ${n}`);
}

export function registerMemory(program: Command): void {
  const memory = program.command('memory').description('portfolio memory: outcomes, statistics and the adaptive ensemble weights');
  memory
    .command('report')
    .description('outcome statistics per provider, asset and regime, with confidence calibration')
    .option('--json', 'print JSON (numbers at full precision)')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const report = await api.insight.memoryReport();
        const recommendations = await api.investor.recommendations.memory();
        if (o.json) return printJson({ ...report, recommendations });
        if (!report.outcomes) {
          print(`${learningLabel(report.learning)}no outcomes yet: closed trades of \`ffe run-agent\` are recorded here`);
          return printRecommendations(recommendations);
        }
        print(`${learningLabel(report.learning)}${count(report.outcomes)} closed trades, win rate ${pct(report.overall.hitRate)}, P&L ${money(report.pnl)}, average return ${pct(report.overall.avgReturn)}`);
        print('\nper provider (each judged by its own BUY/SELL calls, cost-adjusted):');
        print(table(STAT_HEAD, statRows(report.byProvider)));
        print('\nper asset:');
        print(table(STAT_HEAD, statRows(report.byAsset)));
        print('\nper regime at entry:');
        print(table(STAT_HEAD, statRows(report.byRegime)));
        print('\ncalibration (stated confidence → realised hit rate):');
        print(
          table(
            ['provider', 'bucket', 'n', 'stated', 'realised'],
            report.byProvider.flatMap((g) => g.calibration.buckets.map((b) => [g.key, `${b.from}–${b.to}`, b.n, pct(b.stated), pct(b.realised)])),
          ),
        );
        const cc = report.calibratedConfidence;
        print(
          `\ncalibrated confidence (isotonic map from closed trades; ${cc.enabled ? `the ensemble votes with it for providers with ≥ ${cc.minSamples} judged calls` : 'not used for voting: memory.calibrated_confidence is off'}):`,
        );
        print(
          table(
            ['provider', 'calls', 'used', 'Brier stated', 'Brier calibrated (in sample)', 'stated → calibrated'],
            cc.providers.map((c) => [
              c.provider,
              count(c.samples),
              cc.enabled && c.usable ? 'yes' : c.usable ? 'ready' : `no (< ${cc.minSamples})`,
              ratio(c.brierStated, 3),
              ratio(c.brierCalibrated, 3),
              c.map.points.map((p) => `${p.stated.toFixed(0)}→${p.calibrated.toFixed(0)} (n ${p.n})`).join('\n'),
            ]),
          ),
        );
        printRecommendations(recommendations);
      });
    });
  memory
    .command('evaluate')
    .argument('<pair>', 'asset pair, e.g. BTCUSD')
    .description('evidence for the feedback loop: adaptive vs equal vs configured (frozen) ensemble weights out of sample, over walk-forward windows, with bootstrap intervals')
    .requiredOption('--providers <list>', 'comma-separated ensemble members, e.g. rules,ml (LLM providers replay from their cassette in strict mode)')
    .requiredOption('--from <date>', 'first day (YYYY-MM-DD or ISO time, UTC)')
    .requiredOption('--to <date>', 'end (exclusive), same format')
    .option('--timeframe <tf>', 'bar timeframe (default backtest.timeframe)')
    .option('--windows <n>', 'walk-forward windows (default backtest.walk_forward.windows)')
    .option('--train-ratio <r>', 'share of each window the weights learn on before its test (default backtest.walk_forward.train_ratio)')
    .option('--seed <n>', 'bootstrap seed', '1')
    .option('--json', 'print JSON (numbers at full precision)')
    .action(async (pair: string, o: { providers: string; from: string; to: string; timeframe?: string; windows?: string; trainRatio?: string; seed: string; json?: boolean }, cmd: Command) => {
      if (o.timeframe !== undefined && !isTimeframe(o.timeframe)) throw inputError('FLAG_INVALID', `--timeframe "${o.timeframe}" is not a timeframe (1m, 5m, 15m, 1h, 4h, 1d)`);
      const windows = o.windows === undefined ? undefined : Number(o.windows);
      if (windows !== undefined && !(Number.isInteger(windows) && windows >= 1)) throw inputError('FLAG_INVALID', `--windows must be a positive integer, got "${o.windows}"`);
      const trainRatio = o.trainRatio === undefined ? undefined : Number(o.trainRatio);
      if (trainRatio !== undefined && !(trainRatio > 0 && trainRatio < 1)) throw inputError('FLAG_INVALID', `--train-ratio must be in (0, 1), got "${o.trainRatio}"`);
      const seed = Number(o.seed);
      if (!Number.isInteger(seed)) throw inputError('FLAG_INVALID', `--seed must be an integer, got "${o.seed}"`);
      const req = {
        pair,
        providers: o.providers
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
        start: parseDate(o.from, '--from'),
        end: parseDate(o.to, '--to'),
        timeframe: o.timeframe as Parameters<FfeApi['insight']['memoryEvaluate']>[0]['timeframe'],
        windows,
        trainRatio,
        seed,
      };
      await withApi(cmd, async (api) => {
        const r = await api.insight.memoryEvaluate(req);
        if (o.json) return printJson(r);
        printEvidence(r);
      });
    });
  memory
    .command('weights')
    .description('current ensemble weights (adaptive, shrunk toward the configured ones); --history for the audit trail')
    .option('--history', 'every weight change with its reason')
    .option('--json', 'print JSON (numbers at full precision)')
    .action(async (o: { history?: boolean; json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const w = await api.insight.memoryWeights(!!o.history);
        const m = { settings: w };
        const current = w.weights;
        const history = w.history ?? [];
        if (o.json) return printJson(w);
        print(
          `${learningLabel(w.learning)}weights${m.settings.frozen ? ' (frozen by memory.frozen: the configured ones)' : ''}: ${
            Object.entries(current)
              .map(([k, v]) => `${k} ${v.toFixed(3)}`)
              .join(', ') || '-'
          }`,
        );
        if (!o.history) return;
        if (!history.length)
          return print(
            `no weight changes recorded (a weight moves once the sequential test on a provider's cost-adjusted hit rate is decided at α ${m.settings.gateAlpha}: at the earliest after ${m.settings.minOutcomes} calls all wrong; weights only move relative to other ensemble members)`,
          );
        print(
          table(
            ['at', 'scope', 'outcomes', 'weights', 'reason'],
            history.map((c) => [
              iso(c.at),
              c.scope,
              c.outcomes,
              Object.entries(c.weights)
                .map(([k, v]) => `${k} ${v.toFixed(3)}`)
                .join('\n'),
              c.reason.split('; ').join('\n'),
            ]),
          ),
        );
      });
    });
}
