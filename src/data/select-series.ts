import { resample, type Candle } from '../core/candle.js';
import { TIMEFRAME_MS, TIMEFRAMES, type Timeframe } from '../core/timeframe.js';

/**
 * Picks how to serve `target` from the timeframes a source holds natively: the native series
 * itself, else the coarsest native series that divides it (fewest bars to aggregate).
 * Returns null when nothing finer divides the target: the timeframe is unavailable, not invented.
 */
export function sourceTimeframeFor(target: Timeframe, native: readonly Timeframe[]): Timeframe | null {
  if (native.includes(target)) return target;
  const candidates = TIMEFRAMES.filter((tf) => native.includes(tf) && TIMEFRAME_MS[tf] < TIMEFRAME_MS[target] && TIMEFRAME_MS[target] % TIMEFRAME_MS[tf] === 0);
  return candidates.length ? candidates[candidates.length - 1] : null;
}

/** Bars closed at or before `end` (ms), the most recent `limit`. Binary search: series are sorted. */
export function closedWindow(candles: readonly Candle[], tf: Timeframe, end: number, limit: number): Candle[] {
  const lastOpen = end - TIMEFRAME_MS[tf];
  let lo = 0;
  let hi = candles.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (candles[mid].timestamp <= lastOpen) lo = mid + 1;
    else hi = mid;
  }
  return candles.slice(Math.max(0, lo - limit), lo);
}

export function deriveSeries(candles: readonly Candle[], from: Timeframe, to: Timeframe): Candle[] {
  return from === to ? (candles as Candle[]) : resample(candles, from, to);
}
