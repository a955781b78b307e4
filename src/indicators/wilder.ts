/**
 * Wilder's running average for the streaming classes: NaN for the first period-1 inputs, their
 * plain mean at the period-th, then avg = (prev·(period-1) + x) / period. Same operation order as
 * the batch loops, so streaming and batch agree bit for bit.
 */
export class WilderAverage {
  private count = 0;
  /** Plain sum until seeded, the average afterwards. */
  private acc = 0;

  constructor(readonly period: number) {}

  update(x: number): number {
    const p = this.period;
    if (this.count >= p) {
      this.acc = (this.acc * (p - 1) + x) / p;
      return this.acc;
    }
    this.acc += x;
    if (++this.count < p) return Number.NaN;
    this.acc /= p;
    return this.acc;
  }
}
