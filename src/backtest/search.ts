/** First index with a[i] ≥ x in a sorted array (a.length when none). */
export const lowerBound = (a: ArrayLike<number>, x: number): number => {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

/**
 * lowerBound over the first `n` entries of `a`, searched from index `from` on when that is known
 * to be at or before the answer (a[from − 1] < x): lookups that move forward with time cost a few
 * steps near the last answer instead of a binary search of a long array (cache misses on each
 * step). Any other `from` searches the whole range: the answer is lowerBound's either way.
 */
export function lowerBoundFrom(a: ArrayLike<number>, n: number, x: number, from: number): number {
  let lo = 0;
  let hi = n;
  if (from > 0 && from <= n && a[from - 1] < x) {
    // Gallop: every index below lo holds less than x; widen the step until an entry ≥ x is passed.
    lo = from;
    let step = 1;
    while (lo + step <= n && a[lo + step - 1] < x) {
      lo += step;
      step *= 2;
    }
    hi = Math.min(n, lo + step);
  }
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
