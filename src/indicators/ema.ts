import { assertFinite, assertPeriod, toFloat64 } from './validate.js';

/**
 * Exponential moving average, alpha = 2/(period+1), seeded with the SMA of the first `period`
 * values (first value at index period-1, NaN before). This is TA-Lib's default seeding; libraries
 * that seed with the first price instead agree once (1-alpha)^k has decayed.
 */
export function ema(values: ArrayLike<number>, period: number): Float64Array {
  assertPeriod('period', period);
  const v = toFloat64(values);
  return emaInto(v, period, new Float64Array(v.length));
}

/** Writes the EMA of `src` into `dst` (same length), so MACD can fill its outputs without temporaries. */
export function emaInto(src: Float64Array, period: number, dst: Float64Array): Float64Array {
  const n = src.length;
  if (n < period) {
    dst.fill(Number.NaN);
    return dst;
  }
  const k = 2 / (period + 1);
  let sum = 0;
  for (let i = 0; i < period - 1; i++) {
    sum += src[i];
    dst[i] = Number.NaN;
  }
  sum += src[period - 1];
  let prev = sum / period;
  dst[period - 1] = prev;
  for (let i = period; i < n; i++) {
    prev += (src[i] - prev) * k;
    dst[i] = prev;
  }
  return dst;
}

/** Streaming {@link ema}: same arithmetic in the same order, so the numbers are identical. */
export class EMA {
  private readonly k: number;
  private count = 0;
  private seedSum = 0;
  private current = Number.NaN;

  constructor(readonly period: number) {
    assertPeriod('period', period);
    this.k = 2 / (period + 1);
  }

  get value(): number {
    return this.current;
  }

  update(value: number): number {
    assertFinite('value', value);
    if (this.count >= this.period) {
      this.current += (value - this.current) * this.k;
      return this.current;
    }
    this.seedSum += value;
    this.count++;
    if (this.count === this.period) this.current = this.seedSum / this.period;
    return this.current;
  }
}
