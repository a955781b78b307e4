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
  if (n < 2) return tr;
  // Sixteen bars per iteration. V8 does not hoist loop invariants: every iteration re-checks each
  // typed array's map and reloads its length and data pointer, and every access is bounds-checked,
  // so with four arrays the per-access overhead outweighs the arithmetic (1M bars, best of 300:
  // one bar per iteration 2.5 ms, eight 1.65 ms, sixteen 1.45 ms).
  // The previous close is carried in a local (`pc`), loaded as bar i's close: all four arrays
  // are then read and written at the same index, one index computation and one bounds check per
  // array per bar instead of a second index (i - 1) with its own check (eight bars: 1.65 ms with
  // c[i - 1], 1.53 ms carried).
  // Each step is trueRangeOf's arithmetic written out, positivePart included (same operations in
  // the same order, so the same bits; the tests compare them with the textbook maximum): with
  // the calls (which V8 inlines, behind checks on the function bindings) the loop measured ~10%
  // slower (1M bars, best of 80, separate processes: 1.8-2.0 ms against 1.6-1.8 ms).
  // The (n-1) % 16 bars that do not fill a group of sixteen come first, so the unrolled loop runs
  // to the end. With the short loop after it, V8 compiled the unrolled loop on-stack-replaced
  // with no feedback yet for the short loop, and that code then deoptimised at the short loop on
  // every call.
  let i = 1;
  let pc = c[0];
  for (const head = 1 + ((n - 1) % 16); i < head; i++) {
    tr[i] = trueRangeOf(h[i], l[i], pc);
    pc = c[i];
  }
  for (; i < n; i += 16) {
    {
      const hi = h[i];
      const lo = l[i];
      const x = c[i];
      const up = pc - hi;
      const down = lo - pc;
      tr[i] = hi + (up + Math.abs(up)) * 0.5 - (lo - (down + Math.abs(down)) * 0.5);
      pc = x;
    }
    {
      const hi = h[i + 1];
      const lo = l[i + 1];
      const x = c[i + 1];
      const up = pc - hi;
      const down = lo - pc;
      tr[i + 1] = hi + (up + Math.abs(up)) * 0.5 - (lo - (down + Math.abs(down)) * 0.5);
      pc = x;
    }
    {
      const hi = h[i + 2];
      const lo = l[i + 2];
      const x = c[i + 2];
      const up = pc - hi;
      const down = lo - pc;
      tr[i + 2] = hi + (up + Math.abs(up)) * 0.5 - (lo - (down + Math.abs(down)) * 0.5);
      pc = x;
    }
    {
      const hi = h[i + 3];
      const lo = l[i + 3];
      const x = c[i + 3];
      const up = pc - hi;
      const down = lo - pc;
      tr[i + 3] = hi + (up + Math.abs(up)) * 0.5 - (lo - (down + Math.abs(down)) * 0.5);
      pc = x;
    }
    {
      const hi = h[i + 4];
      const lo = l[i + 4];
      const x = c[i + 4];
      const up = pc - hi;
      const down = lo - pc;
      tr[i + 4] = hi + (up + Math.abs(up)) * 0.5 - (lo - (down + Math.abs(down)) * 0.5);
      pc = x;
    }
    {
      const hi = h[i + 5];
      const lo = l[i + 5];
      const x = c[i + 5];
      const up = pc - hi;
      const down = lo - pc;
      tr[i + 5] = hi + (up + Math.abs(up)) * 0.5 - (lo - (down + Math.abs(down)) * 0.5);
      pc = x;
    }
    {
      const hi = h[i + 6];
      const lo = l[i + 6];
      const x = c[i + 6];
      const up = pc - hi;
      const down = lo - pc;
      tr[i + 6] = hi + (up + Math.abs(up)) * 0.5 - (lo - (down + Math.abs(down)) * 0.5);
      pc = x;
    }
    {
      const hi = h[i + 7];
      const lo = l[i + 7];
      const x = c[i + 7];
      const up = pc - hi;
      const down = lo - pc;
      tr[i + 7] = hi + (up + Math.abs(up)) * 0.5 - (lo - (down + Math.abs(down)) * 0.5);
      pc = x;
    }
    {
      const hi = h[i + 8];
      const lo = l[i + 8];
      const x = c[i + 8];
      const up = pc - hi;
      const down = lo - pc;
      tr[i + 8] = hi + (up + Math.abs(up)) * 0.5 - (lo - (down + Math.abs(down)) * 0.5);
      pc = x;
    }
    {
      const hi = h[i + 9];
      const lo = l[i + 9];
      const x = c[i + 9];
      const up = pc - hi;
      const down = lo - pc;
      tr[i + 9] = hi + (up + Math.abs(up)) * 0.5 - (lo - (down + Math.abs(down)) * 0.5);
      pc = x;
    }
    {
      const hi = h[i + 10];
      const lo = l[i + 10];
      const x = c[i + 10];
      const up = pc - hi;
      const down = lo - pc;
      tr[i + 10] = hi + (up + Math.abs(up)) * 0.5 - (lo - (down + Math.abs(down)) * 0.5);
      pc = x;
    }
    {
      const hi = h[i + 11];
      const lo = l[i + 11];
      const x = c[i + 11];
      const up = pc - hi;
      const down = lo - pc;
      tr[i + 11] = hi + (up + Math.abs(up)) * 0.5 - (lo - (down + Math.abs(down)) * 0.5);
      pc = x;
    }
    {
      const hi = h[i + 12];
      const lo = l[i + 12];
      const x = c[i + 12];
      const up = pc - hi;
      const down = lo - pc;
      tr[i + 12] = hi + (up + Math.abs(up)) * 0.5 - (lo - (down + Math.abs(down)) * 0.5);
      pc = x;
    }
    {
      const hi = h[i + 13];
      const lo = l[i + 13];
      const x = c[i + 13];
      const up = pc - hi;
      const down = lo - pc;
      tr[i + 13] = hi + (up + Math.abs(up)) * 0.5 - (lo - (down + Math.abs(down)) * 0.5);
      pc = x;
    }
    {
      const hi = h[i + 14];
      const lo = l[i + 14];
      const x = c[i + 14];
      const up = pc - hi;
      const down = lo - pc;
      tr[i + 14] = hi + (up + Math.abs(up)) * 0.5 - (lo - (down + Math.abs(down)) * 0.5);
      pc = x;
    }
    {
      const hi = h[i + 15];
      const lo = l[i + 15];
      const x = c[i + 15];
      const up = pc - hi;
      const down = lo - pc;
      tr[i + 15] = hi + (up + Math.abs(up)) * 0.5 - (lo - (down + Math.abs(down)) * 0.5);
      pc = x;
    }
  }
  return tr;
}
