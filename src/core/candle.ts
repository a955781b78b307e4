import { dataError } from './errors.js';
import { TIMEFRAME_MS, type Timeframe } from './timeframe.js';

/** One OHLCV bar. `timestamp` is the bar's open time in ms since the Unix epoch (UTC). */
export interface Candle {
  timestamp: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/**
 * Column-oriented candles: what indicators and backtest loops read. One Float64Array per
 * field keeps hot loops allocation-free and cache-friendly.
 */
export interface CandleColumns {
  readonly length: number;
  readonly timestamp: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

/** Zero-filled columns for `n` bars, to be written in place. */
export function emptyColumns(n: number): CandleColumns {
  return {
    length: n,
    timestamp: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
}

export function toColumns(candles: readonly Candle[]): CandleColumns {
  const n = candles.length;
  const c = emptyColumns(n);
  for (let i = 0; i < n; i++) {
    const k = candles[i];
    c.timestamp[i] = k.timestamp;
    c.open[i] = k.open;
    c.high[i] = k.high;
    c.low[i] = k.low;
    c.close[i] = k.close;
    c.volume[i] = k.volume;
  }
  return c;
}

/** Bar `i` of the columns as a candle object. */
export const candleAt = (c: CandleColumns, i: number): Candle => ({ timestamp: c.timestamp[i], open: c.open[i], high: c.high[i], low: c.low[i], close: c.close[i], volume: c.volume[i] });

/** Bar `i` of `c` written into `into` (a record a loop fills again at each bar instead of a new candle), which is returned. */
export function candleInto(c: CandleColumns, i: number, into: Candle): Candle {
  into.timestamp = c.timestamp[i];
  into.open = c.open[i];
  into.high = c.high[i];
  into.low = c.low[i];
  into.close = c.close[i];
  into.volume = c.volume[i];
  return into;
}

export function fromColumns(c: CandleColumns, start = 0, end = c.length): Candle[] {
  const out: Candle[] = [];
  for (let i = start; i < end; i++) out.push(candleAt(c, i));
  return out;
}

/** Returns the reason a bar is inconsistent, or null when it is a valid OHLCV bar. */
export function candleProblem(k: Candle): string | null {
  const prices = [k.open, k.high, k.low, k.close];
  if (!Number.isFinite(k.timestamp)) return 'timestamp is not a valid date';
  if (prices.some((p) => !Number.isFinite(p))) return 'a price is not a number';
  if (prices.some((p) => p <= 0)) return 'prices must be positive';
  if (!Number.isFinite(k.volume) || k.volume < 0) return 'volume must be a number ≥ 0';
  if (k.high < Math.max(k.open, k.close)) return `high ${k.high} is below max(open, close) ${Math.max(k.open, k.close)}`;
  if (k.low > Math.min(k.open, k.close)) return `low ${k.low} is above min(open, close) ${Math.min(k.open, k.close)}`;
  return null;
}

/** Close time of a bar: the moment its values became known. */
export const closeTime = (k: Pick<Candle, 'timestamp'>, tf: Timeframe): number => k.timestamp + TIMEFRAME_MS[tf];

/**
 * Aggregates finer bars into `target` UTC buckets (first open, max high, min low, last close,
 * summed volume). Only complete buckets are kept unless `keepPartial`; a bucket is complete
 * when the source covers every slot of it, so gaps never masquerade as full bars.
 */
export function resample(candles: readonly Candle[], source: Timeframe, target: Timeframe, keepPartial = false): Candle[] {
  const srcMs = TIMEFRAME_MS[source];
  const dstMs = TIMEFRAME_MS[target];
  if (dstMs < srcMs || dstMs % srcMs !== 0) {
    throw dataError('RESAMPLE_INVALID', `cannot resample ${source} bars into ${target}`);
  }
  if (dstMs === srcMs) return candles.slice();
  const slots = dstMs / srcMs;
  const out: Candle[] = [];
  let cur: Candle | null = null;
  let count = 0;
  const flush = () => {
    if (cur && (count === slots || keepPartial)) out.push(cur);
  };
  for (const k of candles) {
    const b = k.timestamp - (((k.timestamp % dstMs) + dstMs) % dstMs);
    if (!cur || b !== cur.timestamp) {
      flush();
      cur = { timestamp: b, open: k.open, high: k.high, low: k.low, close: k.close, volume: k.volume };
      count = 1;
    } else {
      if (k.high > cur.high) cur.high = k.high;
      if (k.low < cur.low) cur.low = k.low;
      cur.close = k.close;
      cur.volume += k.volume;
      count++;
    }
  }
  flush();
  return out;
}
