import { inputError } from '../core/errors.js';
import type { JobRunner } from './jobs.js';
import { optimize, searchOverfitting, type OptimizeRequest } from './optimize.js';
import { overfittingVerdict, sharpeCi, type DeflatedSharpe, type OverfittingVerdict, type Pbo, type SharpeCi, SEVERITIES } from './overfitting.js';
import type { Params } from './port.js';
import type { Metrics } from './types.js';

const DAY = 86_400_000;

export interface WindowPlan {
  trainStart: number;
  trainEnd: number;
  testStart: number;
  testEnd: number;
}

/** Window sizes in bars, whatever the timeframe (config backtest.walk_forward). */
export interface WindowMinimums {
  minTrainBars: number;
  minTestBars: number;
}

/**
 * `windows` train/test windows over [start, end): each window is train then test (train ratio
 * `r`), the next one starts a test length later, so the tests tile the end of the span without
 * overlap. Anchored windows keep every training set starting at `start`. Sizes are counted in
 * bars of `barMs`: fewer windows are used when training would be under `minTrainBars` or a test
 * under `minTestBars`, so a 14,400-bar 1m file gets windows like a 14,400-bar 1h one; a span too
 * short for even one is an input error.
 */
export function planWindows(start: number, end: number, r: number, windows: number, anchored: boolean, barMs: number, min: WindowMinimums): WindowPlan[] {
  const span = end - start;
  for (let k = windows; k >= 1; k--) {
    const len = span / (1 + (k - 1) * (1 - r));
    const train = Math.floor((len * r) / barMs) * barMs;
    const test = Math.floor((len * (1 - r)) / barMs) * barMs;
    if (train < min.minTrainBars * barMs || test < Math.max(1, min.minTestBars) * barMs) continue;
    return Array.from({ length: k }, (_, w) => {
      const trainStart = start + w * test;
      return { trainStart: anchored ? start : trainStart, trainEnd: trainStart + train, testStart: trainStart + train, testEnd: trainStart + train + test };
    });
  }
  const bars = Math.floor(span / barMs);
  throw inputError(
    'WALK_FORWARD_SPAN_TOO_SHORT',
    `the span ${new Date(start).toISOString().slice(0, 10)} → ${new Date(end).toISOString().slice(0, 10)} (${bars} bars, ${(span / DAY).toFixed(1)} days) is too short for one walk-forward window: training needs at least ${min.minTrainBars} bars and testing ${min.minTestBars} (train ratio ${r}; backtest.walk_forward.min_train_bars, min_test_bars)`,
  );
}

export type { Severity } from './overfitting.js';
const ORDER = SEVERITIES;

/** Out-of-sample over in-sample, sign-aware: a loss in sample that turns into a gain is no degradation. */
export function degradation(inSample: number, outOfSample: number): number {
  if (inSample > 0) return outOfSample / inSample;
  if (inSample < 0 && outOfSample < 0) return inSample / outOfSample;
  if (inSample < 0) return 1;
  return 0;
}

export interface WindowResult extends WindowPlan {
  best: Params;
  trials: number;
  inSample: Metrics;
  outOfSample: Metrics;
  inSampleScore: number;
  outOfSampleScore: number;
  /** DSR and PBO of this window's search (in sample). */
  dsr: DeflatedSharpe | null;
  pbo: Pbo | null;
}

export interface WalkForwardResult {
  anchored: boolean;
  windows: WindowResult[];
  aggregate: {
    /** Test windows chained: ∏(1 + return) − 1. */
    outOfSampleReturn: number;
    meanInSampleScore: number;
    meanOutOfSampleScore: number;
    meanInSampleWinRate: number;
    meanOutOfSampleWinRate: number;
    outOfSampleTrades: number;
    /** Annualised Sharpe of the chained out-of-sample bars, with a block-bootstrap 95 % interval. */
    outOfSampleSharpe: SharpeCi | null;
    /** Mean PBO and median DSR over the windows' searches. */
    meanPbo: number | null;
    medianDsr: number | null;
    /** Windows whose out-of-sample run made fewer than the minimum trades. */
    thinWindows: number;
  };
  verdict: OverfittingVerdict & {
    /** Descriptive only (not graded): mean OOS over mean IS objective, sign-aware, and the same for win rate. */
    scoreRatio: number;
    winRateRatio: number;
  };
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};

/**
 * Optimises on each training window, evaluates the winner on its test window, and grades the
 * result from the out-of-sample Sharpe interval of the chained test bars, the windows' PBO
 * (mean) and DSR (median): see overfittingVerdict. The ratio of mean out-of-sample to mean
 * in-sample objective is still reported but no longer graded: it swings without bound near
 * zero, and an in-sample score of exactly 0 graded HIGH whatever happened out of sample.
 */
export async function walkForward(runner: JobRunner, base: Omit<OptimizeRequest, 'start' | 'end'>, plans: WindowPlan[], anchored: boolean, opts: { minTrades?: number; seed?: number } = {}): Promise<WalkForwardResult> {
  const oosReturns: number[][] = [];
  // Windows are independent: all of them queue at once, so no worker idles at a window's end.
  const windows: WindowResult[] = await Promise.all(
    plans.map(async (w, k) => {
      const trials = await optimize(runner, { ...base, start: w.trainStart, end: w.trainEnd });
      const best = trials[0];
      const [res] = await runner.run([{ kind: 'evaluate', paramSets: [best.params], start: w.testStart, end: w.testEnd, warmup: base.warmup, returns: true }]);
      const oos = res.kind === 'evaluate' ? res.metrics[0] : best.metrics;
      oosReturns[k] = res.kind === 'evaluate' ? (res.returns?.[0] ?? []) : [];
      return { ...w, best: best.params, trials: trials.length, inSample: best.metrics, outOfSample: oos, inSampleScore: best.score, outOfSampleScore: base.score(oos), ...searchOverfitting(trials) };
    }),
  );
  const isScore = mean(windows.map((w) => w.inSampleScore));
  const oosScore = mean(windows.map((w) => w.outOfSampleScore));
  const isWin = mean(windows.map((w) => w.inSample.winRate));
  const oosWin = mean(windows.map((w) => w.outOfSample.winRate));
  const chained = oosReturns.flat();
  const ppy = windows[0]?.outOfSample.periodsPerYear ?? 0;
  const outOfSampleSharpe = chained.length >= 10 && ppy > 0 ? sharpeCi(chained, ppy, { seed: opts.seed }) : null;
  const pbos = windows.flatMap((w) => (w.pbo && Number.isFinite(w.pbo.pbo) ? [w.pbo] : []));
  const dsrs = windows.flatMap((w) => (w.dsr && Number.isFinite(w.dsr.dsr) ? [w.dsr] : []));
  const meanPbo = pbos.length ? mean(pbos.map((p) => p.pbo)) : null;
  const medianDsr = dsrs.length ? median(dsrs.map((d) => d.dsr)) : null;
  const minTrades = opts.minTrades ?? 0;
  const thinWindows = windows.filter((w) => w.outOfSample.tradeCount < minTrades).length;
  const graded = overfittingVerdict({
    dsr: medianDsr === null ? null : { dsr: medianDsr, trials: Math.round(median(dsrs.map((d) => d.trials))) },
    pbo: meanPbo === null ? null : { pbo: meanPbo, combinations: pbos.reduce((a, p) => a + p.combinations, 0) },
    oosSharpe: outOfSampleSharpe,
  });
  const thin = thinWindows ? `; ${thinWindows} of ${windows.length} windows made fewer than ${minTrades} trades out of sample (backtest.walk_forward.min_trades): too few to judge them` : '';
  const severity = thinWindows && ORDER.indexOf(graded.severity) < ORDER.indexOf('MEDIUM') ? 'MEDIUM' : graded.severity;
  return {
    anchored,
    windows,
    aggregate: {
      outOfSampleReturn: windows.reduce((acc, w) => acc * (1 + w.outOfSample.totalReturn), 1) - 1,
      meanInSampleScore: isScore,
      meanOutOfSampleScore: oosScore,
      meanInSampleWinRate: isWin,
      meanOutOfSampleWinRate: oosWin,
      outOfSampleTrades: windows.reduce((a, w) => a + w.outOfSample.tradeCount, 0),
      outOfSampleSharpe,
      meanPbo,
      medianDsr,
      thinWindows,
    },
    verdict: {
      ...graded,
      severity,
      overfit: ORDER.indexOf(severity) >= ORDER.indexOf('MEDIUM'),
      text: `${graded.text}${thin}`,
      scoreRatio: degradation(isScore, oosScore),
      winRateRatio: isWin > 0 ? oosWin / isWin : 1,
    },
  };
}
