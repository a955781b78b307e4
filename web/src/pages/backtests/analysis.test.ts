import { describe, expect, it } from 'vitest';
import { alignCurves, compareRows, drawdownPoints, fmtMetric, histogram, metricsOf, rankTrials, type Job, type Trial } from './analysis';

describe('Monte Carlo distribution binning', () => {
  it('equal-width bins from min to max; every value counted once; max in the last bin', () => {
    const bins = histogram([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5);
    expect(bins).toHaveLength(5);
    expect(bins[0]).toEqual({ from: 0, to: 2, count: 2 });
    expect(bins[4]).toEqual({ from: 8, to: 10, count: 3 });
    expect(bins.reduce((a, b) => a + b.count, 0)).toBe(11);
  });
  it('skips non-finite values; all-equal values make one bin; nothing makes none', () => {
    expect(histogram([NaN, Infinity, 1, 1, 1], 10)).toEqual([{ from: 1, to: 1, count: 3 }]);
    expect(histogram([], 10)).toEqual([]);
    expect(histogram([1, 2, NaN], 2).map((b) => b.count)).toEqual([1, 1]);
  });
});

describe('optimisation trial ranking', () => {
  const t = (score: number | null, trades = 1, name = 0): Trial => ({ params: { p: name }, metrics: { trade_count: trades }, score });
  it('best score first; missing/NaN scores last; ties by more trades, then as given', () => {
    const ranked = rankTrials([t(1, 1, 0), t(null, 9, 1), t(3, 1, 2), t(1, 5, 3), t(NaN, 1, 4), t(1, 5, 5)]);
    expect(ranked.map((r) => [r.rank, r.params.p])).toEqual([
      [1, 2],
      [2, 3],
      [3, 5],
      [4, 0],
      [5, 1],
      [6, 4],
    ]);
  });
});

describe('comparing two runs', () => {
  it('aligns curves on the union of times as return since each start, carried forward, absent outside their span', () => {
    const a: [number, number][] = [
      [1000, 100],
      [3000, 110],
      [5000, 120],
    ];
    const b: [number, number][] = [
      [2000, 1000],
      [3000, 900],
    ];
    const rows = alignCurves(a, b);
    expect(rows.map((r) => r.time)).toEqual([1000, 2000, 3000, 5000]);
    expect(rows[0]).toEqual({ time: 1000, a: 0, b: null });
    expect(rows[1].a).toBe(0);
    expect(rows[1].b).toBe(0);
    expect(rows[2].a).toBeCloseTo(0.1, 12);
    expect(rows[2].b).toBeCloseTo(-0.1, 12);
    expect(rows[3].b).toBeNull();
    expect(rows[3].a).toBeCloseTo(0.2, 12);
  });

  it('compare rows cover both runs’ metrics, headline ones first', () => {
    const rows = compareRows({ sharpe: 1, total_return: 0.1, zeta: 2 }, { sharpe: 2, max_drawdown: 0.05 });
    expect(rows.map((r) => r.key)).toEqual(['total_return', 'sharpe', 'max_drawdown', 'zeta']);
    expect(rows[1]).toEqual({ key: 'sharpe', a: 1, b: 2 });
    expect(rows[2]).toEqual({ key: 'max_drawdown', a: null, b: 0.05 });
  });

  it('headline metrics by kind', () => {
    const job = (kind: Job['kind'], result: unknown) => ({ id: 'j', kind, status: 'succeeded', progress: 1, params: {}, result, created_at: '', created_by: '' }) as Job;
    expect(metricsOf(job('backtest', { metrics: { sharpe: 1 } }))).toEqual({ sharpe: 1 });
    expect(metricsOf(job('monte_carlo', { base: { sharpe: 2 } }))).toEqual({ sharpe: 2 });
    expect(metricsOf(job('optimize', { best: { metrics: { sharpe: 3 } } }))).toEqual({ sharpe: 3 });
    expect(metricsOf(job('optimize', { best: null }))).toBeNull();
    expect(metricsOf(job('backtest', undefined))).toBeNull();
  });
});

describe('curves and formats', () => {
  it('drawdown is the fall from the running peak', () => {
    const dd = drawdownPoints([
      [0, 100],
      [1000, 120],
      [2000, 90],
      [3000, 130],
    ]);
    expect(dd.map((p) => p.value)).toEqual([0, 0, 90 / 120 - 1, 0]);
    expect(dd[1].time).toBe(1);
  });
  it('fractions as percents, counts whole, missing as a dash', () => {
    expect(fmtMetric('total_return', 0.1234)).toBe('12.34 %');
    expect(fmtMetric('trade_count', 7)).toBe('7');
    expect(fmtMetric('sharpe', 1.23456)).toBe('1.235');
    expect(fmtMetric('sharpe', null)).toBe('—');
  });
});
