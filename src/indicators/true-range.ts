import { positivePart } from './branch-free.js';
import { assertSameLength, outputFor, toFloat64 } from './validate.js';

/**
 * Wilder's true range of a bar given the previous bar's close, as true high − true low:
 * max(high, prevClose) − min(low, prevClose). For a bar with high ≥ low that is the textbook
 * max(high−low, |high−prevClose|, |low−prevClose|), and bit for bit the same number: whichever
 * case applies, the final subtraction is the same one the textbook form picks (fl is monotonic).
 *
 * max(high, prevClose) is taken as high + max(prevClose − high, 0), branch-free (see
 * positivePart): which case applies varies from bar to bar on gappy data, and a compare-and-select
 * costs ~2× more in V8. The sum is exact when prevClose ≤ 2·high (Sterbenz: the difference is then
 * exact), likewise low − max(low − prevClose, 0) when prevClose ≥ low/2; a bar more than doubling
 * or halving against the previous close is off by at most a few ulps.
 */
export function trueRangeOf(high: number, low: number, prevClose: number): number {
  return high + positivePart(prevClose - high) - (low - positivePart(low - prevClose));
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
  return trueRangeKernel(h, l, c, outputFor('into', into, h.length, 1));
}

/**
 * The loop, apart from the argument handling: V8 optimises it for Float64Array arguments only,
 * and a deoptimisation in the wrapper (a caller passing number[] or an `into` for the first
 * time) leaves it alone. With the loop inline, such a deopt left the calls after it running the
 * loop in on-stack-replaced code 1.5-2.5× slower, for as long as the bench measured.
 */
function trueRangeKernel(h: Float64Array, l: Float64Array, c: Float64Array, tr: Float64Array): Float64Array {
  const n = h.length;
  // Eight bars per iteration. V8 does not hoist loop invariants: every iteration re-checks each
  // typed array's map and reloads its length and data pointer before the first access, so with
  // four arrays and one bar per iteration that overhead outweighs the arithmetic (1M bars:
  // 2.7 ms one per iteration, 1.7 ms eight).
  let i = 1;
  for (; i + 7 < n; i += 8) {
    tr[i] = trueRangeOf(h[i], l[i], c[i - 1]);
    tr[i + 1] = trueRangeOf(h[i + 1], l[i + 1], c[i]);
    tr[i + 2] = trueRangeOf(h[i + 2], l[i + 2], c[i + 1]);
    tr[i + 3] = trueRangeOf(h[i + 3], l[i + 3], c[i + 2]);
    tr[i + 4] = trueRangeOf(h[i + 4], l[i + 4], c[i + 3]);
    tr[i + 5] = trueRangeOf(h[i + 5], l[i + 5], c[i + 4]);
    tr[i + 6] = trueRangeOf(h[i + 6], l[i + 6], c[i + 5]);
    tr[i + 7] = trueRangeOf(h[i + 7], l[i + 7], c[i + 6]);
  }
  for (; i < n; i++) tr[i] = trueRangeOf(h[i], l[i], c[i - 1]);
  return tr;
}
