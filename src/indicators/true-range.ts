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
  // Each step is trueRangeOf's arithmetic written out, positivePart included (same operations in
  // the same order, so the same bits; the tests compare them with the textbook maximum): with
  // the calls (which V8 inlines, behind checks on the function bindings) the loop measured ~10%
  // slower (1M bars, best of 80, separate processes: 1.8-2.0 ms against 1.6-1.8 ms).
  // The (n-1) % 8 bars that do not fill a group of eight come first, so the unrolled loop runs to
  // the end. With the short loop after it, V8 compiled the unrolled loop on-stack-replaced with
  // no feedback yet for the short loop, and that code then deoptimised at the short loop on every
  // call.
  let i = 1;
  for (const head = 1 + ((n - 1) % 8); i < head; i++) tr[i] = trueRangeOf(h[i], l[i], c[i - 1]);
  for (; i < n; i += 8) {
    {
      const hi = h[i];
      const lo = l[i];
      const pc = c[i - 1];
      const up = pc - hi;
      const down = lo - pc;
      tr[i] = hi + (up + Math.abs(up)) * 0.5 - (lo - (down + Math.abs(down)) * 0.5);
    }
    {
      const hi = h[i + 1];
      const lo = l[i + 1];
      const pc = c[i];
      const up = pc - hi;
      const down = lo - pc;
      tr[i + 1] = hi + (up + Math.abs(up)) * 0.5 - (lo - (down + Math.abs(down)) * 0.5);
    }
    {
      const hi = h[i + 2];
      const lo = l[i + 2];
      const pc = c[i + 1];
      const up = pc - hi;
      const down = lo - pc;
      tr[i + 2] = hi + (up + Math.abs(up)) * 0.5 - (lo - (down + Math.abs(down)) * 0.5);
    }
    {
      const hi = h[i + 3];
      const lo = l[i + 3];
      const pc = c[i + 2];
      const up = pc - hi;
      const down = lo - pc;
      tr[i + 3] = hi + (up + Math.abs(up)) * 0.5 - (lo - (down + Math.abs(down)) * 0.5);
    }
    {
      const hi = h[i + 4];
      const lo = l[i + 4];
      const pc = c[i + 3];
      const up = pc - hi;
      const down = lo - pc;
      tr[i + 4] = hi + (up + Math.abs(up)) * 0.5 - (lo - (down + Math.abs(down)) * 0.5);
    }
    {
      const hi = h[i + 5];
      const lo = l[i + 5];
      const pc = c[i + 4];
      const up = pc - hi;
      const down = lo - pc;
      tr[i + 5] = hi + (up + Math.abs(up)) * 0.5 - (lo - (down + Math.abs(down)) * 0.5);
    }
    {
      const hi = h[i + 6];
      const lo = l[i + 6];
      const pc = c[i + 5];
      const up = pc - hi;
      const down = lo - pc;
      tr[i + 6] = hi + (up + Math.abs(up)) * 0.5 - (lo - (down + Math.abs(down)) * 0.5);
    }
    {
      const hi = h[i + 7];
      const lo = l[i + 7];
      const pc = c[i + 6];
      const up = pc - hi;
      const down = lo - pc;
      tr[i + 7] = hi + (up + Math.abs(up)) * 0.5 - (lo - (down + Math.abs(down)) * 0.5);
    }
  }
  return tr;
}
