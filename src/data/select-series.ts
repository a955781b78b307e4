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
  const lo = closedCount(candles, tf, end);
  return candles.slice(Math.max(0, lo - limit), lo);
}

/** How many of the (sorted) bars closed at or before `end`: they are the first ones. */
function closedCount(candles: readonly Candle[], tf: Timeframe, end: number): number {
  const lastOpen = end - TIMEFRAME_MS[tf];
  let lo = 0;
  let hi = candles.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (candles[mid].timestamp <= lastOpen) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function deriveSeries(candles: readonly Candle[], from: Timeframe, to: Timeframe): Candle[] {
  return from === to ? (candles as Candle[]) : resample(candles, from, to);
}

/**
 * The most recent `limit` `to` bars closed by `end`, resampled from only the `from` bars they are
 * made of (plus one bucket of slack, widened back to a bucket boundary so every bucket is whole):
 * the same bars, value for value, as closedWindow over the whole resampled series. A one-off
 * query (`ffe analyze`) so skips aggregating a whole 1m file. Null when gaps in the data leave the
 * window short of `limit` bars: then only the whole series gives the right answer.
 */
export function resampledWindow(base: readonly Candle[], from: Timeframe, to: Timeframe, end: number, limit: number): Candle[] | null {
  const srcMs = TIMEFRAME_MS[from];
  const dstMs = TIMEFRAME_MS[to];
  // Bars closed by `end`: the only ones a closed `to` bar can hold.
  const hi = closedCount(base, from, end);
  let start = Math.max(0, hi - (limit + 1) * (dstMs / srcMs));
  if (start > 0) {
    const t = base[start].timestamp;
    const bucket = t - (((t % dstMs) + dstMs) % dstMs);
    while (start > 0 && base[start - 1].timestamp >= bucket) start--;
  }
  const window = closedWindow(deriveSeries(base.slice(start, hi), from, to), to, end, limit);
  return window.length < limit && start > 0 ? null : window;
}
