import { EMA, emaStep } from './ema.js';
import { assertPeriod, outputFor, toFloat64 } from './validate.js';
import { closeOf, type CloseOrBar, type StreamingIndicator } from './streaming.js';

export interface MacdSeries {
  macd: Float64Array;
  signal: Float64Array;
  histogram: Float64Array;
}

export interface MacdPoint {
  macd: number;
  signal: number;
  histogram: number;
}

function assertMacdPeriods(fast: number, slow: number, signal: number): void {
  assertPeriod('fast', fast);
  assertPeriod('slow', slow);
  assertPeriod('signal', signal);
  // With fast >= slow the line would be valid from index fast-1, breaking the documented warm-up.
  if (fast >= slow) throw new RangeError(`fast must be less than slow, got fast=${fast} and slow=${slow}`);
}

/**
 * MACD = EMA(fast) - EMA(slow); signal = EMA(signal) of the MACD line; histogram = MACD - signal.
 * Every EMA uses alpha 2/(n+1) and is seeded with its own SMA from the start of its input, so
 * MACD is valid from index slow-1 and signal/histogram from slow+signal-2 (NaN before).
 *
 * Relation to TA-Lib: TA_MACD seeds the fast EMA with the SMA of the `fast` closes ending at
 * index slow-1 (so both EMAs start on the same bar) instead of the first `fast` closes, and it
 * emits nothing before slow+signal-2. The two fast EMAs then differ by a gap shrinking like
 * (1 - 2/(fast+1))^k: below 1e-12 relative ~170 bars later for fast=12. The signal line is seeded
 * identically in both. (TA_MACDFIX, not this, uses the fixed 0.15/0.075 alphas.)
 *
 * Relation to Tulip: ti_macd seeds every EMA with the first close (the signal with the first MACD
 * value) instead of an SMA, and for exactly (12, 26) it uses the fixed alphas 0.15/0.075 as
 * TA_MACDFIX does, so it agrees with this only for other periods, once the seeds have decayed.
 *
 * With `into` (buffers of the input's length) writes there instead of allocating.
 */
export function macd(close: ArrayLike<number>, fast = 12, slow = 26, signal = 9, into?: MacdSeries): MacdSeries {
  assertMacdPeriods(fast, slow, signal);
  const c = toFloat64(close);
  const n = c.length;
  const line = outputFor('macd', into?.macd, n, slow - 1);
  const sig = outputFor('signal', into?.signal, n, slow + signal - 2);
  const histogram = outputFor('histogram', into?.histogram, n, slow + signal - 2);
  if (n >= slow) macdKernel(c, fast, slow, signal, line, sig, histogram);
  return { macd: line, signal: sig, histogram };
}

/**
 * The loops, in their own function: with the loop inline, V8 compiled it on-stack-replaced during
 * the first call, before the `return { ... }` after it had run, and that code then deoptimised
 * there on every call (--trace-deopt: one 'Insufficient type feedback' bailout per call). Here
 * the loop is followed by a plain return. (See also trueRangeKernel.)
 */
function macdKernel(c: Float64Array, fast: number, slow: number, signal: number, line: Float64Array, sig: Float64Array, histogram: Float64Array): void {
  const n = c.length;
  // One fused pass: the three EMA recursions are independent chains the CPU overlaps. Seeds are
  // plain sums in input order and each step is emaStep, exactly as in EMA.
  const aFast = 2 / (fast + 1);
  const aSlow = 2 / (slow + 1);
  const aSignal = 2 / (signal + 1);
  const dFast = 1 - aFast;
  const dSlow = 1 - aSlow;
  const dSignal = 1 - aSignal;
  let sum = 0;
  for (let i = 0; i < fast; i++) sum += c[i];
  let fastEma = sum / fast;
  for (let i = fast; i < slow; i++) fastEma = emaStep(fastEma, c[i], aFast, dFast);
  sum = 0;
  for (let i = 0; i < slow; i++) sum += c[i];
  let slowEma = sum / slow;
  let m = fastEma - slowEma;
  line[slow - 1] = m;
  const seeded = slow + signal - 2;
  let signalSum = m;
  for (let i = slow; i <= seeded && i < n; i++) {
    fastEma = emaStep(fastEma, c[i], aFast, dFast);
    slowEma = emaStep(slowEma, c[i], aSlow, dSlow);
    m = fastEma - slowEma;
    line[i] = m;
    signalSum += m;
  }
  if (n <= seeded) return;
  let signalEma = signalSum / signal;
  sig[seeded] = signalEma;
  histogram[seeded] = m - signalEma;
  for (let i = seeded + 1; i < n; i++) {
    const x = c[i];
    fastEma = emaStep(fastEma, x, aFast, dFast);
    slowEma = emaStep(slowEma, x, aSlow, dSlow);
    m = fastEma - slowEma;
    signalEma = emaStep(signalEma, m, aSignal, dSignal);
    line[i] = m;
    sig[i] = signalEma;
    histogram[i] = m - signalEma;
  }
}

/** Streaming {@link macd}: composed of the same EMA arithmetic, so the numbers are identical. */
export class MACD implements StreamingIndicator<CloseOrBar, MacdPoint> {
  private readonly fastEma: EMA;
  private readonly slowEma: EMA;
  private readonly signalEma: EMA;
  private line = Number.NaN;
  private sig = Number.NaN;
  /** The result object of the last update, made when first read (null: not yet). */
  private current: MacdPoint | null = null;

  constructor(fast = 12, slow = 26, signal = 9) {
    assertMacdPeriods(fast, slow, signal);
    this.fastEma = new EMA(fast);
    this.slowEma = new EMA(slow);
    this.signalEma = new EMA(signal);
  }

  get value(): MacdPoint {
    return this.getResult();
  }

  getResult(): MacdPoint {
    return (this.current ??= { macd: this.line, signal: this.sig, histogram: this.line - this.sig });
  }

  /** The warm-up is over: results are numbers from here on. */
  get isStable(): boolean {
    return !Number.isNaN(this.sig);
  }

  /** The last result's fields without its object (`getResult().histogram`, ...). */
  get macd(): number {
    return this.line;
  }

  get signal(): number {
    return this.sig;
  }

  get histogram(): number {
    return this.line - this.sig;
  }

  update(input: CloseOrBar): MacdPoint {
    this.push(input);
    return this.getResult();
  }

  /**
   * `update` without its result object: the result is made when read. A backtest feed updates
   * every timeframe's indicators at each bar and reads few of the results.
   */
  push(input: CloseOrBar): void {
    const close = closeOf(input);
    const line = this.fastEma.update(close) - this.slowEma.update(close);
    // The signal EMA must only see real MACD values, or its SMA seed would include NaNs.
    this.sig = Number.isNaN(line) ? Number.NaN : this.signalEma.update(line);
    this.line = line;
    this.current = null;
  }
}
