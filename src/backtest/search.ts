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
