/**
 * `String(n)`, the number's shortest decimal text, without V8's number-string cache. On Node 20
 * `String(x)` (also `${x}` and `x.toString()`) of a number that is not a small integer looks the
 * text up in a heap-wide cache and, on a miss, allocates the new text straight in the old
 * generation to store it there, and the cache keeps the number's heap box alive until it is
 * promoted too. A backtest turns a fresh price into text at every bar it holds a position, so every
 * one of those texts was old-generation garbage, left to the major GC: it is what grows the heap
 * of a long run. JSON writes a number's text with the same shortest-text algorithm into a young,
 * uncached string (and is no slower); NaN and ±Infinity, which JSON writes as null, take String.
 */
export function shortestText(n: number): string {
  return Number.isFinite(n) ? JSON.stringify(n) : String(n);
}
