import { maxOf } from './branch-free.js';
import { assertSameLength, outputFor, toFloat64 } from './validate.js';

/** Wilder's true range of a bar given the previous bar's close (branch-free, see maxOf). */
export function trueRangeOf(high: number, low: number, prevClose: number): number {
  return maxOf(maxOf(high - low, Math.abs(high - prevClose)), Math.abs(low - prevClose));
}

/**
 * True range per bar. Index 0 is NaN (TA-Lib's TRANGE convention): without a previous close the
 * bar's high-low is only a partial true range, and ATR/ADX deliberately leave it out.
 * With `into` (the input's length) writes there instead of allocating.
 */
export function trueRange(high: ArrayLike<number>, low: ArrayLike<number>, close: ArrayLike<number>, into?: Float64Array): Float64Array {
  assertSameLength(high, low, close);
  const h = toFloat64(high);
  const l = toFloat64(low);
  const c = toFloat64(close);
  const n = h.length;
  const tr = outputFor('into', into, n, 1);
  for (let i = 1; i < n; i++) tr[i] = trueRangeOf(h[i], l[i], c[i - 1]);
  return tr;
}
