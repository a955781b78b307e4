import { Ring } from './ring.js';
import { assertFinite, assertPeriod, nanPrefixed, toFloat64 } from './validate.js';
import { closeOf, type CloseOrBar, type StreamingIndicator } from './streaming.js';

export interface BollingerSeries {
  upper: Float64Array;
  middle: Float64Array;
  lower: Float64Array;
  percentB: Float64Array;
  bandwidth: Float64Array;
}

export interface BollingerPoint {
  upper: number;
  middle: number;
  lower: number;
  percentB: number;
  bandwidth: number;
}

/**
 * When the running sum of squares falls below this fraction of its peak since the last exact
 * re-sum, the values that left the window were much larger than those in it (a flat stretch
 * after a move, or quiet trading after a jump), and subtracting them left rounding residue of
 * order ε·peak: more than 3 of the 16 digits are gone, so re-sum exactly instead of trusting it.
 */
const MAX_S2_DROP = 1e-3;

function assertStdDev(stdDev: number): void {
  if (!Number.isFinite(stdDev) || stdDev < 0) {
    throw new RangeError(`stdDev must be a finite number >= 0, got ${String(stdDev)}`);
  }
}

/**
 * Per-bar Bollinger arithmetic shared by the batch and streaming forms, so they agree bit for bit.
 *
 * Variance from running sums (E[x²] - E[x]²) cancels catastrophically at BTC prices: with x ≈ 6e4
 * and σ ≈ 0.01, E[x²] ≈ 3.6e9 carries rounding errors of ~1e-6 against a variance of ~1e-4, and
 * a running version of it ends up off by over 200% (see the tests). Summing d = x - shift,
 * with the shift taken from the window, keeps d within the window's own spread. Re-summing
 * exactly every `period` bars (amortised O(1) per bar) stops rounding from accumulating, lets a
 * NaN input drop out once it leaves the window, and keeps the shift inside the window, so
 * (shift - mean)² <= (period-1)·σ² (Samuelson) and the final subtraction loses < log10(period) digits.
 */
class BandState {
  private shift = 0;
  private s1 = 0;
  private s2 = 0;
  /** Largest s2 since the last exact re-sum: the scale of its accumulated rounding error. */
  private s2Peak = 0;
  private untilResum = 0;
  private readonly inv: number;
  upper = Number.NaN;
  middle = Number.NaN;
  lower = Number.NaN;
  percentB = Number.NaN;
  bandwidth = Number.NaN;

  constructor(
    private readonly period: number,
    private readonly multiplier: number,
  ) {
    this.inv = 1 / period;
  }

  private resum(src: Float64Array, start: number, shift: number): void {
    let s1 = 0;
    let s2 = 0;
    for (let j = start, end = start + this.period; j < end; j++) {
      const d = src[j] - shift;
      s1 += d;
      s2 += d * d;
    }
    this.shift = shift;
    this.s1 = s1;
    this.s2 = s2;
    this.s2Peak = s2;
    this.untilResum = this.period - 1;
  }

  /**
   * The window is src[start .. start+period-1], oldest first, and src[start-1] is the value that
   * just left it. Only indices and typed arrays cross the call, so no double is ever boxed even
   * where V8 declines to inline this.
   */
  step(src: Float64Array, start: number): void {
    const p = this.period;
    const x = src[start + p - 1];
    if (this.untilResum === 0) {
      this.resum(src, start, x);
    } else {
      const a = x - this.shift;
      const b = src[start - 1] - this.shift;
      this.s1 += a - b;
      this.s2 += a * a - b * b;
      this.untilResum--;
      if (this.s2 > this.s2Peak) this.s2Peak = this.s2;
      // `!(>=)` also catches NaN, so a batch window that has shed a NaN input recovers at once.
      // An exactly flat window (s2 = peak = 0) is exact already and is left alone.
      else if (!(this.s2 >= this.s2Peak * MAX_S2_DROP)) this.resum(src, start, x);
    }
    const offset = this.s1 * this.inv;
    const variance = this.s2 * this.inv - offset * offset;
    const sd = variance > 0 ? Math.sqrt(variance) : 0;
    const middle = this.shift + offset;
    const width = this.multiplier * sd;
    const upper = middle + width;
    const lower = middle - width;
    this.middle = middle;
    this.upper = upper;
    this.lower = lower;
    this.percentB = upper === lower ? Number.NaN : (x - lower) / (upper - lower);
    this.bandwidth = (upper - lower) / middle;
  }
}

/**
 * Bollinger Bands: middle = SMA(period), bands = middle ± stdDev·σ with the population standard
 * deviation (divide by period, as Bollinger and TA-Lib do). percentB = (close-lower)/(upper-lower)
 * as a fraction (NaN when the bands collapse); bandwidth = (upper-lower)/middle.
 * NaN before index period-1.
 */
export function bollinger(close: ArrayLike<number>, period = 20, stdDev = 2): BollingerSeries {
  assertPeriod('period', period);
  assertStdDev(stdDev);
  const c = toFloat64(close);
  const n = c.length;
  const warmUp = period - 1;
  const upper = nanPrefixed(n, warmUp);
  const middle = nanPrefixed(n, warmUp);
  const lower = nanPrefixed(n, warmUp);
  const percentB = nanPrefixed(n, warmUp);
  const bandwidth = nanPrefixed(n, warmUp);
  const state = new BandState(period, stdDev);
  for (let i = warmUp; i < n; i++) {
    state.step(c, i - warmUp);
    upper[i] = state.upper;
    middle[i] = state.middle;
    lower[i] = state.lower;
    percentB[i] = state.percentB;
    bandwidth[i] = state.bandwidth;
  }
  return { upper, middle, lower, percentB, bandwidth };
}

/** Streaming {@link bollinger}: shares the per-bar arithmetic, so the numbers are identical. */
export class BollingerBands implements StreamingIndicator<CloseOrBar, BollingerPoint> {
  private readonly window: Ring;
  private readonly state: BandState;
  private current: BollingerPoint = {
    upper: Number.NaN,
    middle: Number.NaN,
    lower: Number.NaN,
    percentB: Number.NaN,
    bandwidth: Number.NaN,
  };

  constructor(
    readonly period = 20,
    readonly stdDev = 2,
  ) {
    assertPeriod('period', period);
    assertStdDev(stdDev);
    // One slot more than the window, so the value leaving it is still in the ring, just before
    // it. On the first full window (ring one short of full) the mirror half already holds it at
    // start+1, and the slot before it is never read because that step re-sums.
    this.window = new Ring(period + 1);
    this.state = new BandState(period, stdDev);
  }

  get value(): BollingerPoint {
    return this.current;
  }

  getResult(): BollingerPoint {
    return this.current;
  }

  /** The warm-up is over: results are numbers from here on. */
  get isStable(): boolean {
    return !Number.isNaN(this.current.middle);
  }

  update(input: CloseOrBar): BollingerPoint {
    const close = closeOf(input);
    assertFinite('close', close);
    const w = this.window;
    w.push(close);
    if (w.size < this.period) return this.current;
    const s = this.state;
    s.step(w.buf, w.start + 1);
    this.current = { upper: s.upper, middle: s.middle, lower: s.lower, percentB: s.percentB, bandwidth: s.bandwidth };
    return this.current;
  }
}
