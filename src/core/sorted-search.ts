/**
 * The first index whose value is ≥ `t` (> `t` when `after`) in an ascending sequence: binary search.
 * One home for the time lookups on candle columns and on stored curves.
 */
export function firstAtOrAfter(xs: ArrayLike<number>, t: number, after = false): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] < t || (after && xs[mid] === t)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
