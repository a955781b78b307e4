/**
 * Fixed-size window for the streaming classes. Every value is stored twice, `capacity` apart, so
 * the window is always the contiguous run buf[start .. start+capacity-1], oldest first: exactly
 * the layout the batch functions read from their input, which lets both forms share one exact
 * re-summing routine and agree bit for bit.
 */
export class Ring {
  readonly buf: Float64Array;
  private head = 0;
  private filled = 0;

  constructor(readonly capacity: number) {
    this.buf = new Float64Array(2 * capacity);
  }

  get full(): boolean {
    return this.filled === this.capacity;
  }

  /** Values stored so far, up to `capacity`. */
  get size(): number {
    return this.filled;
  }

  /**
   * Index in `buf` of the oldest value once the ring is full. One push short of full, the values
   * so far already sit in order at start+1 .. start+capacity-1 (the mirror half).
   */
  get start(): number {
    return this.head;
  }

  /** Stores `x` and returns the value it displaced (NaN while the window is still filling). */
  push(x: number): number {
    const evicted = this.full ? this.buf[this.head] : Number.NaN;
    this.buf[this.head] = x;
    this.buf[this.head + this.capacity] = x;
    this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
    if (this.filled < this.capacity) this.filled++;
    return evicted;
  }
}
