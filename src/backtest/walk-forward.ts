import { inputError } from '../core/errors.js';
import type { JobRunner } from './jobs.js';
import { optimize, type OptimizeRequest } from './optimize.js';
import type { Params } from './port.js';
import type { Metrics } from './types.js';

const DAY = 86_400_000;
export const MIN_TRAIN_MS = 7 * DAY;

export interface WindowPlan {
  trainStart: number;
  trainEnd: number;
  testStart: number;
  testEnd: number;
}

/**
 * `windows` train/test windows over [start, end): each window is train then test (train ratio
 * `r`), the next one starts a test length later, so the tests tile the end of the span without
 * overlap. Anchored windows keep every training set starting at `start`. Fewer windows are used
 * when training would be under 7 days; a span too short for even one is an input error.
 */
export function planWindows(start: number, end: number, r: number, windows: number, anchored: boolean, barMs: number): WindowPlan[] {
  const span = end - start;
  for (let k = windows; k >= 1; k--) {
    const len = span / (1 + (k - 1) * (1 - r));
    const train = Math.floor((len * r) / barMs) * barMs;
    const test = Math.floor((len * (1 - r)) / barMs) * barMs;
    if (train < MIN_TRAIN_MS || test < barMs) continue;
    return Array.from({ length: k }, (_, w) => {
      const trainStart = start + w * test;
      return { trainStart: anchored ? start : trainStart, trainEnd: trainStart + train, testStart: trainStart + train, testEnd: trainStart + train + test };
    });
  }
  throw inputError(
    'WALK_FORWARD_SPAN_TOO_SHORT',
    `the span ${new Date(start).toISOString().slice(0, 10)} → ${new Date(end).toISOString().slice(0, 10)} (${(span / DAY).toFixed(1)} days) is too short for one walk-forward window: training needs at least 7 days (train ratio ${r}) plus a test period`,
  );
}

export type Severity = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH';
const ORDER: Severity[] = ['NONE', 'LOW', 'MEDIUM', 'HIGH'];

export const grade = (ratio: number): Severity => (ratio > 0.8 ? 'NONE' : ratio > 0.5 ? 'LOW' : ratio > 0.3 ? 'MEDIUM' : 'HIGH');

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
  };
  verdict: { scoreRatio: number; winRateRatio: number; severity: Severity; overfit: boolean; text: string };
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

export async function walkForward(runner: JobRunner, base: Omit<OptimizeRequest, 'start' | 'end'>, plans: WindowPlan[], anchored: boolean): Promise<WalkForwardResult> {
  // Windows are independent: all of them queue at once, so no worker idles at a window's end.
  const windows: WindowResult[] = await Promise.all(
    plans.map(async (w) => {
      const trials = await optimize(runner, { ...base, start: w.trainStart, end: w.trainEnd });
      const best = trials[0];
      const [res] = await runner.run([{ kind: 'evaluate', paramSets: [best.params], start: w.testStart, end: w.testEnd, warmup: base.warmup }]);
      const oos = res.kind === 'evaluate' ? res.metrics[0] : best.metrics;
      return { ...w, best: best.params, trials: trials.length, inSample: best.metrics, outOfSample: oos, inSampleScore: best.score, outOfSampleScore: base.score(oos) };
    }),
  );
  const isScore = mean(windows.map((w) => w.inSampleScore));
  const oosScore = mean(windows.map((w) => w.outOfSampleScore));
  const isWin = mean(windows.map((w) => w.inSample.winRate));
  const oosWin = mean(windows.map((w) => w.outOfSample.winRate));
  const scoreRatio = degradation(isScore, oosScore);
  const winRateRatio = isWin > 0 ? oosWin / isWin : 1;
  const severity = ORDER[Math.max(ORDER.indexOf(grade(scoreRatio)), ORDER.indexOf(grade(winRateRatio)))];
  const overfit = ORDER.indexOf(severity) >= ORDER.indexOf('MEDIUM');
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
    },
    verdict: {
      scoreRatio,
      winRateRatio,
      severity,
      overfit,
      text: `out-of-sample/in-sample objective ${scoreRatio.toFixed(2)}, win rate ${winRateRatio.toFixed(2)}: ${severity === 'NONE' ? 'no' : severity.toLowerCase()} degradation${overfit ? ' — likely overfit' : ''}`,
    },
  };
}
