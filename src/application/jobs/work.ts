import { objective } from '../../backtest/objective.js';
import type { BacktestResult } from '../../backtest/types.js';
import type { backtestUseCases } from '../backtests.js';
import type { JobControl } from '../job-control.js';
import { toRequest, type AnyJobParams, type BacktestJobKind, type JobParams } from './params.js';

type Backtests = ReturnType<typeof backtestUseCases>;

/** Trials kept in an optimisation's stored result (best first); `evaluated` says how many ran. */
const TRIALS_KEPT = 100;

/** Most points a stored equity curve keeps; most trades a stored backtest keeps (the first ones; `trade_count` says how many). */
export const CURVE_POINTS = 1000;
export const TRADES_KEPT = 1000;

/**
 * At most `max` of the points, in time order: the first and last, and in each of max/2 − 1
 * buckets between them its lowest and highest equity (so peaks and troughs, and with them the
 * drawdown, survive).
 */
export function downsampleCurve(times: ArrayLike<number>, values: ArrayLike<number>, max = CURVE_POINTS): [number, number][] {
  const n = times.length;
  if (n <= max) return Array.from({ length: n }, (_, i) => [times[i], values[i]]);
  const keep: number[] = [0];
  const buckets = Math.floor(max / 2) - 1;
  const inner = n - 2;
  for (let b = 0; b < buckets; b++) {
    const lo = 1 + Math.floor((b * inner) / buckets);
    const hi = 1 + Math.floor(((b + 1) * inner) / buckets);
    if (hi <= lo) continue;
    let min = lo;
    let mx = lo;
    for (let i = lo + 1; i < hi; i++) {
      if (values[i] < values[min]) min = i;
      if (values[i] > values[mx]) mx = i;
    }
    if (min === mx) keep.push(min);
    else keep.push(Math.min(min, mx), Math.max(min, mx));
  }
  keep.push(n - 1);
  return keep.map((i) => [times[i], values[i]]);
}

/** A backtest as JSON (the CLI's `--json` shape): everything but the raw fills, the equity curve as [time, equity] pairs (at most CURVE_POINTS of them), at most TRADES_KEPT trades. */
export function backtestResultJson(r: BacktestResult) {
  return {
    pairs: r.pairs,
    timeframe: r.timeframe,
    start: new Date(r.start).toISOString(),
    end: new Date(r.end).toISOString(),
    source: r.source,
    engine: r.engine,
    settings: r.settings,
    metrics: r.metrics,
    notes: r.notes,
    data_gaps: r.dataGaps ?? [],
    currency: r.currency ?? null,
    rejections: r.rejections.length,
    rejection_sample: r.rejections.slice(0, 20),
    trades: r.trades.slice(0, TRADES_KEPT),
    equity: downsampleCurve(r.times, r.equity),
  };
}

const sourceOf = (p: AnyJobParams, def: { name: string }) => (p.strategy ? { strategy: def.name } : { provider: def.name });

/**
 * The one code path a job runs on, whichever queue delivered it: the job's parameters become the
 * same request the CLI builds, the backtest use case runs it (its worker pool, its progress and
 * cancellation), and the answer is shaped as plain JSON for the store.
 */
export async function runJobWork(backtests: Backtests, kind: BacktestJobKind, params: AnyJobParams, c: JobControl): Promise<unknown> {
  const req = toRequest(params);
  switch (kind) {
    case 'backtest':
      return backtestResultJson(await backtests.backtest(req, c));
    case 'walk_forward': {
      const p = params as JobParams['walk_forward'];
      const obj = p.objective ?? 'sharpe';
      const { def, ratio, ...res } = await backtests.walkForward(req, searchOf(p), { trainRatio: p.train_ratio, windows: p.windows, anchored: !!p.anchored }, c);
      return { ...sourceOf(p, def), objective: obj, train_ratio: ratio, ...res };
    }
    case 'optimize': {
      const p = params as JobParams['optimize'];
      const s = searchOf(p);
      const { def, space, trials, overfitting, seconds } = await backtests.optimize(req, s, c);
      return { ...sourceOf(p, def), objective: p.objective ?? 'sharpe', method: s.method, space, evaluated: trials.length, best: trials[0] ?? null, overfitting, trials: trials.slice(0, TRIALS_KEPT), seconds };
    }
    case 'monte_carlo': {
      const p = params as JobParams['monte_carlo'];
      const mc = await backtests.monteCarlo(req, { simulations: p.simulations, noise: p.noise, block: p.block, seed: p.seed ?? 1, runner: { workers: p.workers } }, c);
      return {
        source: mc.base.source,
        simulations: mc.simulations,
        noise: mc.noise,
        base: mc.base.metrics,
        perturbation: mc.perturbation,
        baseRank: mc.baseRank,
        bootstrap: mc.bootstrap,
        notes: [...mc.base.notes, ...mc.notes],
        seconds: mc.seconds,
      };
    }
  }
}

/** The CLI's search defaults (`--method grid --samples 40 --objective sharpe --seed 1`). */
function searchOf(p: JobParams['optimize'] | JobParams['walk_forward']) {
  return { method: p.method ?? 'grid', samples: p.samples ?? 40, score: objective(p.objective ?? 'sharpe'), seed: p.seed ?? 1, runner: { workers: p.workers }, ranges: p.param_ranges ?? [] };
}
