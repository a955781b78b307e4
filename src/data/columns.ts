import { dataError } from '../core/errors.js';
import { emptyColumns, toColumns, type CandleColumns } from '../core/candle.js';
import { TIMEFRAME_MS, type Timeframe } from '../core/timeframe.js';
import type { CandleQuery, MarketData } from './port.js';
import { firstAtOrAfter } from '../core/sorted-search.js';

/**
 * Candles as columns (one Float64Array per field) for the paths that hold a whole series: a
 * 1 M-bar backtest held its bars as objects (~100+ bytes each) several times over, 2.8 GB; as
 * columns the series is 48 bytes a bar, and windows of it are views, not copies.
 */

/** Bars [from, to) of `c` as views into it (no copy). */
export function sliceColumns(c: CandleColumns, from: number, to: number): CandleColumns {
  return {
    length: to - from,
    timestamp: c.timestamp.subarray(from, to),
    open: c.open.subarray(from, to),
    high: c.high.subarray(from, to),
    low: c.low.subarray(from, to),
    close: c.close.subarray(from, to),
    volume: c.volume.subarray(from, to),
  };
}

export { firstAtOrAfter };

/** Bars closed at or before `end`, the most recent `limit`, as a view (closedWindow on columns). */
export function closedColumns(c: CandleColumns, tf: Timeframe, end: number, limit: number): CandleColumns {
  const hi = firstAtOrAfter(c.timestamp, end - TIMEFRAME_MS[tf], true);
  return sliceColumns(c, Math.max(0, hi - limit), hi);
}

/**
 * `resample` on columns: whole `target` buckets only, fields aggregated in the same order (so the
 * same numbers, bit for bit, as resampling the candle objects).
 */
export function resampleColumns(c: CandleColumns, source: Timeframe, target: Timeframe): CandleColumns {
  const srcMs = TIMEFRAME_MS[source];
  const dstMs = TIMEFRAME_MS[target];
  if (dstMs < srcMs || dstMs % srcMs !== 0) throw dataError('RESAMPLE_INVALID', `cannot resample ${source} bars into ${target}`);
  const slots = dstMs / srcMs;
  // At most one bucket per source bar: written in place, then cut to the buckets kept.
  const out = emptyColumns(Math.ceil(c.length / slots) + 1);
  const { timestamp: ts, open, high, low, close, volume } = c;
  let n = 0;
  let count = 0;
  let b = NaN;
  for (let i = 0; i < c.length; i++) {
    const t = ts[i];
    const bucket = t - (((t % dstMs) + dstMs) % dstMs);
    if (bucket !== b) {
      if (count === slots) n++;
      b = bucket;
      out.timestamp[n] = bucket;
      out.open[n] = open[i];
      out.high[n] = high[i];
      out.low[n] = low[i];
      out.close[n] = close[i];
      out.volume[n] = volume[i];
      count = 1;
    } else {
      if (high[i] > out.high[n]) out.high[n] = high[i];
      if (low[i] < out.low[n]) out.low[n] = low[i];
      out.close[n] = close[i];
      out.volume[n] += volume[i];
      count++;
    }
  }
  if (count === slots) n++;
  return compact(out, n);
}

/** The first `n` bars in arrays of their own size (a resampled series outlives its scratch space). */
function compact(c: CandleColumns, n: number): CandleColumns {
  return {
    length: n,
    timestamp: c.timestamp.slice(0, n),
    open: c.open.slice(0, n),
    high: c.high.slice(0, n),
    low: c.low.slice(0, n),
    close: c.close.slice(0, n),
    volume: c.volume.slice(0, n),
  };
}

/** A source's candles as columns: its own columnar read where it has one, else its candles converted. */
export async function candleColumnsOf(md: MarketData, q: CandleQuery): Promise<CandleColumns> {
  return md.candleColumns ? md.candleColumns(q) : toColumns(await md.candles(q));
}
