/**
 * Wilder's running average for the streaming classes: NaN for the first period-1 inputs, their
 * plain mean at the period-th, then avg = (prev·(period-1) + x) / period. Same operation order as
 * the batch loops, so streaming and batch agree bit for bit.
 */
export class WilderAverage {
  private readonly decay: number;
  private readonly inv: number;
  private count = 0;
  /** Plain sum until seeded, the average afterwards. */
  private acc = 0;

  constructor(readonly period: number) {
    this.decay = (period - 1) / period;
    this.inv = 1 / period;
  }

  update(x: number): number {
    if (this.count >= this.period) {
      this.acc = wilderStep(this.acc, x, this.decay, this.inv);
      return this.acc;
    }
    this.acc += x;
    if (++this.count < this.period) return Number.NaN;
    this.acc /= this.period;
    return this.acc;
  }
}

/**
 * One smoothing step, (prev·(period-1) + x) / period, evaluated as prev·decay + x·inv with
 * decay = (period-1)/period and inv = 1/period. Only the multiply and add on `prev` are on the
 * loop-carried dependency chain (a division there costs ~3×); the extra rounding is one ulp per
 * step and the smoothing is contractive, so it never accumulates.
 */
export function wilderStep(prev: number, x: number, decay: number, inv: number): number {
  return prev * decay + x * inv;
}
