import type { Candle } from '../core/candle.js';
import type { ReturnSeries } from './types.js';

const DAY = 86_400_000;

/** Simple close-to-close returns of daily bars, each dated by the UTC day of its later bar. */
export function dailyReturns(candles: readonly Candle[]): ReturnSeries {
  const dates: number[] = [];
  const values: number[] = [];
  for (let i = 1; i < candles.length; i++) {
    const prev = candles[i - 1].close;
    if (!(prev > 0)) continue;
    dates.push(candles[i].timestamp - (((candles[i].timestamp % DAY) + DAY) % DAY));
    values.push(candles[i].close / prev - 1);
  }
  return { dates, values };
}

export function strictlyIncreasing(a: readonly number[]): boolean {
  for (let i = 1; i < a.length; i++) if (!(a[i] > a[i - 1])) return false;
  return true;
}

/** Returns of several assets on the days all of them have, the last `limit` days, oldest first. */
export function alignReturns(series: ReturnSeries[], limit: number): { dates: number[]; values: number[][] } {
  if (series.length === 0) return { dates: [], values: [] };
  // One asset with one return per day (the usual VaR of a single holding, asked on every entry a
  // backtest makes): its own last `limit` days, without building a map per call.
  if (series.length === 1 && strictlyIncreasing(series[0].dates)) {
    const { dates, values } = series[0];
    return { dates: dates.slice(-limit), values: [values.slice(-limit)] };
  }
  const maps = series.map((s) => new Map(s.dates.map((d, i) => [d, s.values[i]])));
  const dates = series[0].dates.filter((d) => maps.every((m) => m.has(d))).slice(-limit);
  return { dates, values: maps.map((m) => dates.map((d) => m.get(d)!)) };
}

/** Pearson correlation (sample), clamped to [−1, 1]; null without variance or with fewer than 3 points. */
export function pearson(x: readonly number[], y: readonly number[]): number | null {
  const n = x.length;
  if (n !== y.length || n < 3) return null;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/**
 * One-period historical Value at Risk as a positive fraction: the loss at the (1 − confidence)
 * quantile of `returns` (lower empirical quantile, index ⌊n·(1 − c)⌋ of the ascending sort),
 * 0 when even that return is a gain.
 */
export function historicalVar(returns: readonly number[], confidence: number): number {
  if (returns.length === 0) return 0;
  // A typed array sorts numerically without a comparator call per comparison; the order of finite
  // values is the same (±0 may swap, and either gives a VaR of 0).
  const sorted = Float64Array.from(returns).sort();
  // The epsilon guards products that float arithmetic lands just below a whole number.
  const k = Math.min(sorted.length - 1, Math.floor(sorted.length * (1 - confidence) + 1e-9));
  return Math.max(0, -sorted[k]);
}
