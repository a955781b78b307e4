import { describe, expect, it } from 'vitest';
import { FfeError } from '../core/errors.js';
import { TIMEFRAME_MS } from '../core/timeframe.js';
import { InProcessRunner } from './jobs.js';
import { objective } from './objective.js';
import { parseSpace } from './params.js';
import { STRATEGIES } from './strategies/index.js';
import { randomWalk, singlePair } from './synthetic.js';
import { DEFAULT_SETTINGS } from './types.js';
import { degradation, planWindows, walkForward } from './walk-forward.js';

/** Seven days of hourly bars: the former fixed minimum. */
const M = { minTrainBars: 168, minTestBars: 1 };

const H = TIMEFRAME_MS['1h'];
const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

describe('walk-forward windows', () => {
  it('rolling windows: train then test, tests tile the span end to end without overlap', () => {
    const w = planWindows(T0, T0 + 120 * DAY, 0.7, 4, false, H, M);
    expect(w).toHaveLength(4);
    for (const x of w) {
      expect(x.testStart).toBe(x.trainEnd);
      expect(x.trainEnd - x.trainStart).toBeGreaterThanOrEqual(168 * H);
    }
    for (let k = 1; k < w.length; k++) expect(w[k].testStart).toBe(w[k - 1].testEnd);
    expect(w[3].testEnd).toBeLessThanOrEqual(T0 + 120 * DAY);
    expect(T0 + 120 * DAY - w[3].testEnd).toBeLessThan(4 * H);
    const ratio = (w[0].trainEnd - w[0].trainStart) / (w[0].testEnd - w[0].trainStart);
    expect(ratio).toBeCloseTo(0.7, 2);
  });

  it('anchored windows all train from the start', () => {
    const w = planWindows(T0, T0 + 120 * DAY, 0.7, 3, true, H, M);
    expect(w.every((x) => x.trainStart === T0)).toBe(true);
    expect(w[2].trainEnd - w[2].trainStart).toBeGreaterThan(w[0].trainEnd - w[0].trainStart);
  });

  it('sizes windows in bars, any timeframe: a 14,400-bar 1m file gets its windows', () => {
    const m = TIMEFRAME_MS['1m'];
    const w = planWindows(T0, T0 + 14_400 * m, 0.7, 4, false, m, { minTrainBars: 200, minTestBars: 20 });
    expect(w).toHaveLength(4);
    // len = 14,400 / (1 + 3 × 0.3) = 7,578.9 bars: 5,305 to train, 2,273 to test.
    expect((w[0].trainEnd - w[0].trainStart) / m).toBe(5305);
    expect((w[0].testEnd - w[0].testStart) / m).toBe(2273);
    // The bar minimums decide: 6,000 training bars do not fit four windows, but do fit fewer.
    expect(planWindows(T0, T0 + 14_400 * m, 0.7, 4, false, m, { minTrainBars: 6000, minTestBars: 20 }).length).toBeLessThan(4);
    expect(() => planWindows(T0, T0 + 14_400 * m, 0.7, 4, false, m, { minTrainBars: 20_000, minTestBars: 20 })).toThrow(/14400 bars.*at least 20000 bars/);
  });

  it('uses fewer windows when training would be under the minimum bars, and refuses a span too short for one', () => {
    expect(planWindows(T0, T0 + 20 * DAY, 0.7, 10, false, H, M).length).toBeLessThan(10);
    let err: unknown;
    try {
      planWindows(T0, T0 + 9 * DAY, 0.7, 4, false, H, M);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FfeError);
    expect((err as FfeError).exitCode).toBe(2);
    expect((err as FfeError).code).toBe('WALK_FORWARD_SPAN_TOO_SHORT');
  });

  it('the descriptive objective ratio is sign-aware', () => {
    expect(degradation(2, 1)).toBe(0.5);
    expect(degradation(-1, -2)).toBe(0.5);
    expect(degradation(-1, 0.5)).toBe(1);
    expect(degradation(0, 1)).toBe(0);
  });
});

describe('walk-forward run', () => {
  it('optimises each training window and reports out-of-sample metrics and a verdict', async () => {
    const bars = randomWalk(24 * 90, { seed: 21, start: T0 });
    const data = singlePair(bars);
    const runner = new InProcessRunner({ data, settings: DEFAULT_SETTINGS, strategy: 'sma-cross', risk: null });
    const def = STRATEGIES['sma-cross'];
    const plans = planWindows(T0, T0 + 90 * DAY, 0.7, 3, false, H, M);
    const r = await walkForward(runner, { def, space: parseSpace(def, ['fast=5,10', 'slow=20,40']), method: 'grid', samples: 4, score: objective('sharpe'), warmup: 100 }, plans, false);
    expect(r.windows).toHaveLength(3);
    for (const w of r.windows) {
      expect(w.trials).toBe(4);
      // The in-sample score is the best of the grid on that window.
      expect(w.inSampleScore).toBeCloseTo(w.inSample.sharpe, 12);
      expect(w.outOfSample.bars).toBe((w.testEnd - w.testStart) / H);
      expect(w.outOfSampleScore).toBe(w.outOfSample.sharpe);
    }
    const chained = r.windows.reduce((a, w) => a * (1 + w.outOfSample.totalReturn), 1) - 1;
    expect(r.aggregate.outOfSampleReturn).toBeCloseTo(chained, 12);
    expect(['NONE', 'LOW', 'MEDIUM', 'HIGH']).toContain(r.verdict.severity);
    // The objective ratios are still reported, not graded.
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(r.verdict.scoreRatio).toBeCloseTo(degradation(mean(r.windows.map((w) => w.inSampleScore)), mean(r.windows.map((w) => w.outOfSampleScore))), 12);
    // The verdict follows from DSR, PBO and the out-of-sample Sharpe interval of the chained test bars.
    for (const w of r.windows) {
      expect(w.pbo!.trials).toBe(4);
      expect(w.pbo!.combinations).toBe(12_870);
      expect(w.dsr!.trials).toBe(4);
    }
    const oos = r.aggregate.outOfSampleSharpe!;
    expect(oos.lower).toBeLessThanOrEqual(oos.estimate);
    expect(oos.upper).toBeGreaterThanOrEqual(oos.estimate);
    expect(r.aggregate.meanPbo).toBeCloseTo(mean(r.windows.map((w) => w.pbo!.pbo)), 12);
    expect(Object.keys(r.verdict.grades).sort()).toEqual(['dsr', 'oosSharpe', 'pbo']);
    const order = ['NONE', 'LOW', 'MEDIUM', 'HIGH'];
    expect(r.verdict.severity).toBe(order[Math.max(...Object.values(r.verdict.grades).map((g) => order.indexOf(g)))]);
    expect(r.verdict.overfit).toBe(r.verdict.severity === 'MEDIUM' || r.verdict.severity === 'HIGH');
    expect(r.verdict.text).toMatch(/DSR .* PBO .* out-of-sample Sharpe/);
  });
});
