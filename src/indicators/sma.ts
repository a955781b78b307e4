import { Ring } from './ring.js';
import { assertFinite, assertPeriod, nanPrefixed, toFloat64 } from './validate.js';

/** Exact left-to-right sum of src[start .. start+count-1]; shared so batch and stream round alike. */
export function sumRange(src: Float64Array, start: number, count: number): number {
  let sum = 0;
  for (let j = start, end = start + count; j < end; j++) sum += src[j];
  return sum;
}

/**
 * Simple moving average. out[i] = mean(values[i-period+1..i]); NaN before index period-1.
 *
 * A running sum is O(1) per bar, but its rounding error grows with the series length and one NaN
 * would stick to it forever, so the window is re-summed exactly every `period` bars. That costs
 * one extra add per bar on average and bounds the error to about period·ε relative.
 */
export function sma(values: ArrayLike<number>, period: number): Float64Array {
  assertPeriod('period', period);
  const v = toFloat64(values);
  const n = v.length;
  const out = nanPrefixed(n, period - 1);
  let sum = 0;
  let untilResum = 0;
  for (let i = period - 1; i < n; i++) {
    if (untilResum === 0) {
      sum = sumRange(v, i - period + 1, period);
      untilResum = period - 1;
    } else {
      sum += v[i] - v[i - period];
      untilResum--;
    }
    out[i] = sum / period;
  }
  return out;
}

/** Streaming {@link sma}: same arithmetic in the same order, so the numbers are identical. */
export class SMA {
  private readonly window: Ring;
  private sum = 0;
  private untilResum = 0;
  private current = Number.NaN;

  constructor(readonly period: number) {
    assertPeriod('period', period);
    this.window = new Ring(period);
  }

  get value(): number {
    return this.current;
  }

  update(value: number): number {
    assertFinite('value', value);
    const w = this.window;
    const evicted = w.push(value);
    if (!w.full) return this.current;
    if (this.untilResum === 0) {
      this.sum = sumRange(w.buf, w.start, this.period);
      this.untilResum = this.period - 1;
    } else {
      this.sum += value - evicted;
      this.untilResum--;
    }
    this.current = this.sum / this.period;
    return this.current;
  }
}
