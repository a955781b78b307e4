import { Ring } from './ring.js';
import { assertFinite, assertPeriod, nanPrefixed, toFloat64 } from './validate.js';

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
 * Below this share of s2/period the variance has lost more than ~3 of its 16 digits to
 * cancellation (or the window is flat), so the window is re-summed exactly around a fresh shift.
 * Just after a re-sum around the newest value the share is always >= 1/period (Samuelson's
 * inequality), so this only fires on genuinely flat windows or drift, never in a loop.
 */
const MIN_VARIANCE_SHARE = 1e-3;

function assertStdDev(stdDev: number): void {
  if (!Number.isFinite(stdDev) || stdDev < 0) {
    throw new RangeError(`stdDev must be a finite number >= 0, got ${String(stdDev)}`);
  }
}

/**
 * Per-bar Bollinger arithmetic shared by the batch and streaming forms, so they agree bit for bit.
 *
 * Variance from running sums (E[x²] - E[x]²) cancels catastrophically at BTC prices: with x ≈ 4e4
 * and σ ≈ 10, E[x²] ≈ 1.6e9 and the variance keeps only ~7 digits. Summing d = x - shift with the
 * shift taken from the window keeps d near σ in size, and re-summing exactly every `period` bars
 * (one extra pass per window, i.e. O(1) amortised) stops error from accumulating and lets a NaN
 * input drop out once it leaves the window.
 */
class BandState {
  private shift = 0;
  private s1 = 0;
  private s2 = 0;
  private untilResum = 0;
  upper = Number.NaN;
  middle = Number.NaN;
  lower = Number.NaN;
  percentB = Number.NaN;
  bandwidth = Number.NaN;

  constructor(
    private readonly period: number,
    private readonly multiplier: number,
  ) {}

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
    this.untilResum = this.period - 1;
  }

  /** The window is src[start .. start+period-1], oldest first; `leaving` is the value that just dropped out. */
  step(src: Float64Array, start: number, leaving: number): void {
    const p = this.period;
    const x = src[start + p - 1];
    const fresh = this.untilResum === 0;
    if (fresh) {
      this.resum(src, start, x);
    } else {
      const a = x - this.shift;
      const b = leaving - this.shift;
      this.s1 += a - b;
      this.s2 += a * a - b * b;
      this.untilResum--;
    }
    let offset = this.s1 / p;
    let variance = this.s2 / p - offset * offset;
    // `!(>)` also catches NaN, so a batch window that has shed a NaN input recovers at once.
    if (!fresh && !(variance > (this.s2 / p) * MIN_VARIANCE_SHARE)) {
      this.resum(src, start, x);
      offset = this.s1 / p;
      variance = this.s2 / p - offset * offset;
    }
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
    state.step(c, i - warmUp, i >= period ? c[i - period] : Number.NaN);
    upper[i] = state.upper;
    middle[i] = state.middle;
    lower[i] = state.lower;
    percentB[i] = state.percentB;
    bandwidth[i] = state.bandwidth;
  }
  return { upper, middle, lower, percentB, bandwidth };
}

/** Streaming {@link bollinger}: shares the per-bar arithmetic, so the numbers are identical. */
export class BollingerBands {
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
    this.window = new Ring(period);
    this.state = new BandState(period, stdDev);
  }

  get value(): BollingerPoint {
    return this.current;
  }

  update(close: number): BollingerPoint {
    assertFinite('close', close);
    const w = this.window;
    const leaving = w.push(close);
    if (!w.full) return this.current;
    const s = this.state;
    s.step(w.buf, w.start, leaving);
    this.current = { upper: s.upper, middle: s.middle, lower: s.lower, percentB: s.percentB, bandwidth: s.bandwidth };
    return this.current;
  }
}
