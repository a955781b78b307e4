import type { StreamingIndicator } from './streaming.js';
import { trueRangeOf } from './true-range.js';
import { WilderAverage, wilderStep } from './wilder.js';
import { assertFiniteBar, assertPeriod, assertSameLength, outputFor, toFloat64, type HighLowClose } from './validate.js';

/**
 * Wilder's average true range, TA-Lib convention: TR[0] has no previous close and is skipped,
 * the first ATR (index `period`) is the mean of TR[1..period], then
 * ATR = (prev·(period-1) + TR) / period. NaN before index `period`.
 * With `into` (the input's length) writes there instead of allocating.
 *
 * Relation to Tulip: ti_atr counts bar 0's high-low as a true range, so its first value is at
 * index period-1 and differs from this one by a gap that decays like (1-1/period)^k.
 */
export function atr(high: ArrayLike<number>, low: ArrayLike<number>, close: ArrayLike<number>, period = 14, into?: Float64Array): Float64Array {
  assertPeriod('period', period);
  assertSameLength(high, low, close);
  const h = toFloat64(high);
  const l = toFloat64(low);
  const c = toFloat64(close);
  const n = h.length;
  const out = outputFor('into', into, n, period);
  if (n <= period) return out;
  let sum = 0;
  for (let i = 1; i <= period; i++) sum += trueRangeOf(h[i], l[i], c[i - 1]);
  let value = sum / period;
  out[period] = value;
  const decay = (period - 1) / period;
  const inv = 1 / period;
  for (let i = period + 1; i < n; i++) {
    value = wilderStep(value, trueRangeOf(h[i], l[i], c[i - 1]), decay, inv);
    out[i] = value;
  }
  return out;
}

/** Streaming {@link atr}: same arithmetic in the same order, so the numbers are identical. */
export class ATR implements StreamingIndicator<HighLowClose, number> {
  private readonly average: WilderAverage;
  private prevClose = Number.NaN;
  private current = Number.NaN;

  constructor(readonly period = 14) {
    assertPeriod('period', period);
    this.average = new WilderAverage(period);
  }

  get value(): number {
    return this.current;
  }

  getResult(): number {
    return this.current;
  }

  /** The warm-up is over: results are numbers from here on. */
  get isStable(): boolean {
    return !Number.isNaN(this.current);
  }

  update(bar: HighLowClose): number {
    assertFiniteBar(bar);
    const prev = this.prevClose;
    this.prevClose = bar.close;
    if (!Number.isNaN(prev)) this.current = this.average.update(trueRangeOf(bar.high, bar.low, prev));
    return this.current;
  }
}
