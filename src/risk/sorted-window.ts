/** `a` sorts before `b` as Float64Array.prototype.sort orders them: by value, −0 before +0. */
const before = (a: number, b: number): boolean => a < b || (a === 0 && b === 0 && 1 / a < 1 / b);

/**
 * Up to `size` numbers kept sorted ascending in the order Float64Array.prototype.sort gives (equal
 * numbers are the same bits but for ±0, placed as that sort places them), so a window that slides
 * by one value costs a binary search and a shift instead of a fresh sort. Not for NaN: the caller
 * keeps non-finite values out.
 */
export class SortedWindow {
  // A plain array of doubles, not a typed one: its copies are young-generation arrays, where a
  // Float64Array of this size gets a backing store of its own (slow to make and to collect).
  private readonly buf: number[];
  private n = 0;

  constructor(readonly size: number) {
    this.buf = new Array<number>(size).fill(0.5);
  }

  get length(): number {
    return this.n;
  }

  clear(): void {
    this.n = 0;
  }

  /** Adds `x` after the entries that sort before or with it. */
  add(x: number): void {
    if (this.n === this.size) throw new RangeError(`SortedWindow is full (${this.size})`);
    const buf = this.buf;
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(x, buf[mid])) hi = mid;
      else lo = mid + 1;
    }
    for (let i = this.n; i > lo; i--) buf[i] = buf[i - 1];
    buf[lo] = x;
    this.n++;
  }

  /** Removes one entry with `x`'s bits; false when there is none. */
  remove(x: number): boolean {
    const buf = this.buf;
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(buf[mid], x)) lo = mid + 1;
      else hi = mid;
    }
    if (lo === this.n || !Object.is(buf[lo], x)) return false;
    this.n--;
    for (let i = lo; i < this.n; i++) buf[i] = buf[i + 1];
    return true;
  }

  /** The entries, sorted, in a new array (later changes leave it as it is). */
  copy(): number[] {
    return this.buf.slice(0, this.n);
  }
}
