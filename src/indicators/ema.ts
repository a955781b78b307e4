import { assertFinite, assertPeriod, outputFor, toFloat64 } from './validate.js';
import { closeOf, type CloseOrBar, type StreamingIndicator } from './streaming.js';

/**
 * Exponential moving average, alpha = 2/(period+1), seeded with the SMA of the first `period`
 * values (first value at index period-1, NaN before). This is TA-Lib's default seeding; libraries
 * that seed with the first price instead agree once (1-alpha)^k has decayed (Tulip does).
 * With `into` (the input's length) writes there instead of allocating.
 */
export function ema(values: ArrayLike<number>, period: number, into?: Float64Array): Float64Array {
  assertPeriod('period', period);
  const v = toFloat64(values);
  const n = v.length;
  const out = outputFor('into', into, n, period - 1);
  if (n < period) return out;
  const alpha = 2 / (period + 1);
  const decay = 1 - alpha;
  let sum = 0;
  for (let i = 0; i < period; i++) sum += v[i];
  let prev = sum / period;
  out[period - 1] = prev;
  for (let i = period; i < n; i++) {
    prev = emaStep(prev, v[i], alpha, decay);
    out[i] = prev;
  }
  return out;
}

/**
 * α·x + (1-α)·prev, the textbook form: only one multiply and one add sit on the loop-carried
 * chain, against three dependent operations for prev + α·(x - prev).
 */
export function emaStep(prev: number, x: number, alpha: number, decay: number): number {
  return x * alpha + prev * decay;
}

/** Streaming {@link ema}: same arithmetic in the same order, so the numbers are identical. */
export class EMA implements StreamingIndicator<CloseOrBar, number> {
  private readonly alpha: number;
  private readonly decay: number;
  private count = 0;
  private seedSum = 0;
  private current = Number.NaN;

  constructor(readonly period: number) {
    assertPeriod('period', period);
    this.alpha = 2 / (period + 1);
    this.decay = 1 - this.alpha;
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

  update(input: CloseOrBar): number {
    const value = closeOf(input);
    assertFinite('value', value);
    if (this.count >= this.period) {
      this.current = emaStep(this.current, value, this.alpha, this.decay);
      return this.current;
    }
    this.seedSum += value;
    this.count++;
    if (this.count === this.period) this.current = this.seedSum / this.period;
    return this.current;
  }
}
