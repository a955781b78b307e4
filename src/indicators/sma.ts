import { Ring } from './ring.js';
import { assertFinite, assertPeriod, outputFor, toFloat64 } from './validate.js';
import { closeOf, type CloseOrBar, type StreamingIndicator } from './streaming.js';

/** Exact left-to-right sum of src[start .. start+count-1]; shared so batch and stream round alike. */
export function sumRange(src: Float64Array, start: number, count: number): number {
  let sum = 0;
  for (let j = start, end = start + count; j < end; j++) sum += src[j];
  return sum;
}

/**
 * Bars between exact re-sums of the window. A running sum is O(1) per bar, but its rounding error
 * grows with the series and one NaN would stick to it forever. Re-summing every 1024 bars (or
 * every window, if longer) costs period/1024 extra reads per bar, bounds the drift to what 1024
 * running updates can add, and drops a NaN input at the first re-sum after it leaves the window.
 */
export function resumEvery(period: number): number {
  return Math.max(period, 1024);
}

/**
 * Simple moving average. out[i] = mean(values[i-period+1..i]); NaN before index period-1.
 * With `into` (the input's length) writes there instead of allocating.
 */
export function sma(values: ArrayLike<number>, period: number, into?: Float64Array): Float64Array {
  assertPeriod('period', period);
  const v = toFloat64(values);
  const n = v.length;
  const out = outputFor('into', into, n, period - 1);
  const every = resumEvery(period);
  for (let first = period - 1; first < n; first += every) {
    let sum = sumRange(v, first - period + 1, period);
    out[first] = sum / period;
    for (let i = first + 1, end = Math.min(first + every, n); i < end; i++) {
      sum += v[i] - v[i - period];
      out[i] = sum / period;
    }
  }
  return out;
}

/** Streaming {@link sma}: same arithmetic in the same order, so the numbers are identical. */
export class SMA implements StreamingIndicator<CloseOrBar, number> {
  private readonly window: Ring;
  private readonly every: number;
  private sum = 0;
  private untilResum = 0;
  private current = Number.NaN;

  constructor(readonly period: number) {
    assertPeriod('period', period);
    this.window = new Ring(period);
    this.every = resumEvery(period);
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
    const w = this.window;
    const evicted = w.push(value);
    if (!w.full) return this.current;
    if (this.untilResum === 0) {
      this.sum = sumRange(w.buf, w.start, this.period);
      this.untilResum = this.every - 1;
    } else {
      this.sum += value - evicted;
      this.untilResum--;
    }
    this.current = this.sum / this.period;
    return this.current;
  }
}
