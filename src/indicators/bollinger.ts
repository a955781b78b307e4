import { Ring } from './ring.js';
import { resumEvery } from './sma.js';
import { assertFinite, assertPeriod, outputFor, toFloat64 } from './validate.js';
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
 * Bollinger arithmetic. Variance from running sums (E[x²] - E[x]²) cancels catastrophically at
 * BTC prices: with x ≈ 6e4 and σ ≈ 0.01, E[x²] ≈ 3.6e9 carries rounding errors of ~1e-6 against a
 * variance of ~1e-4, and a running version of it ends up off by over 200% (see the tests). So the
 * sums are of d = x - shift, with the shift a value from the window:
 * - every `period` bars the shift moves to the newest value (O(1): s1 -= p·δ, s2 -= δ·(2·s1 - p·δ)),
 *   so it stays inside the window, (shift - mean)² <= (period-1)·σ² (Samuelson) and the final
 *   subtraction loses < log10(period) digits;
 * - every max(period, 1024) bars the sums are recomputed exactly (amortised O(1) per bar), which
 *   stops rounding from accumulating and lets a NaN input drop out once it has left the window;
 * - when s2 falls far below its peak since that re-sum (MAX_S2_DROP), they are recomputed at once
 *   (the peak is sampled every `period` bars, see BandState.peak).
 * The batch loop and BandState (streaming) spell out the same operations in the same order, so
 * both give identical numbers (the tests compare them); the batch loop keeps its state in locals,
 * which is what makes it ~3× faster than stepping an object per bar.
 */
class BandState {
  private shift = 0;
  private s1 = 0;
  private s2 = 0;
  /**
   * Largest s2 since the last exact re-sum, sampled when the shift moves (every `period` bars: a
   * large value stays in the window that long, so it is seen): the scale of the accumulated
   * rounding error. Tracking it every bar costs a branch that mispredicts on every new high.
   */
  private peak = 0;
  private untilResum = 0;
  private untilRecenter = 0;
  private readonly inv: number;
  private readonly every: number;
  upper = Number.NaN;
  middle = Number.NaN;
  lower = Number.NaN;

  constructor(
    private readonly period: number,
    private readonly multiplier: number,
  ) {
    this.inv = 1 / period;
    this.every = resumEvery(period);
  }

  /**
   * The window is src[start .. start+period-1], oldest first, and src[start-1] is the value that
   * just left it. Only indices and typed arrays cross the call, so no double is boxed.
   */
  step(src: Float64Array, start: number): void {
    const p = this.period;
    const x = src[start + p - 1];
    let resum = this.untilResum === 0;
    if (!resum) {
      const a = x - this.shift;
      const b = src[start - 1] - this.shift;
      this.s1 += a - b;
      this.s2 += a * a - b * b;
      this.untilResum--;
      // `!(>=)` also catches NaN, so a window that has shed a NaN input recovers at once.
      // An exactly flat window (s2 = peak = 0) is exact already and is left alone.
      if (!(this.s2 >= this.peak * MAX_S2_DROP)) resum = true;
    }
    if (resum) {
      let s1 = 0;
      let s2 = 0;
      for (let j = start, end = start + p; j < end; j++) {
        const d = src[j] - x;
        s1 += d;
        s2 += d * d;
      }
      this.shift = x;
      this.s1 = s1;
      this.s2 = s2;
      this.peak = s2;
      this.untilResum = this.every - 1;
      this.untilRecenter = p;
    } else if (--this.untilRecenter === 0) {
      if (this.s2 > this.peak) this.peak = this.s2;
      const delta = x - this.shift;
      this.s2 -= delta * (2 * this.s1 - p * delta);
      this.s1 -= p * delta;
      this.shift = x;
      this.untilRecenter = p;
    }
    const offset = this.s1 * this.inv;
    const variance = this.s2 * this.inv - offset * offset;
    const width = this.multiplier * (variance > 0 ? Math.sqrt(variance) : 0);
    const middle = this.shift + offset;
    this.middle = middle;
    this.upper = middle + width;
    this.lower = middle - width;
  }
}

/** %B as a fraction: where the close sits between the bands (NaN when they collapse). */
function percentBOf(close: number, upper: number, lower: number): number {
  return upper === lower ? Number.NaN : (close - lower) / (upper - lower);
}

function bandwidthOf(upper: number, middle: number, lower: number): number {
  return (upper - lower) / middle;
}

/** Buffers for {@link bollinger}'s output: the bands, and %B / bandwidth only if wanted. */
export interface BollingerInto {
  upper: Float64Array;
  middle: Float64Array;
  lower: Float64Array;
  percentB?: Float64Array;
  bandwidth?: Float64Array;
}

/**
 * Bollinger Bands: middle = SMA(period), bands = middle ± stdDev·σ with the population standard
 * deviation (divide by period, as Bollinger, TA-Lib and Tulip do). percentB = (close-lower)/(upper-lower)
 * as a fraction (NaN when the bands collapse); bandwidth = (upper-lower)/middle.
 * NaN before index period-1.
 *
 * With `into`, writes into the caller's buffers (each the input's length) and returns them; %B
 * and bandwidth are computed only if `into` has buffers for them.
 */
export function bollinger(close: ArrayLike<number>, period?: number, stdDev?: number): BollingerSeries;
export function bollinger<T extends BollingerInto>(close: ArrayLike<number>, period: number, stdDev: number, into: T): T;
export function bollinger(close: ArrayLike<number>, period = 20, stdDev = 2, into?: BollingerInto): BollingerInto {
  assertPeriod('period', period);
  assertStdDev(stdDev);
  const c = toFloat64(close);
  const n = c.length;
  const warmUp = period - 1;
  const upper = outputFor('upper', into?.upper, n, warmUp);
  const middle = outputFor('middle', into?.middle, n, warmUp);
  const lower = outputFor('lower', into?.lower, n, warmUp);
  bandsKernel(c, period, stdDev, upper, middle, lower);
  const wantAll = into === undefined;
  const percentB = wantAll || into.percentB ? outputFor('percentB', into?.percentB, n, warmUp) : undefined;
  const bandwidth = wantAll || into.bandwidth ? outputFor('bandwidth', into?.bandwidth, n, warmUp) : undefined;
  // A second pass, so the band loop stays lean for callers that want only the bands; one pass
  // for both ratios when both are wanted (reading the bands twice cost ~50% more).
  if (percentB && bandwidth) {
    for (let i = warmUp; i < n; i++) {
      const up = upper[i];
      const lo = lower[i];
      percentB[i] = percentBOf(c[i], up, lo);
      bandwidth[i] = bandwidthOf(up, middle[i], lo);
    }
  } else if (percentB) {
    for (let i = warmUp; i < n; i++) percentB[i] = percentBOf(c[i], upper[i], lower[i]);
  } else if (bandwidth) {
    for (let i = warmUp; i < n; i++) bandwidth[i] = bandwidthOf(upper[i], middle[i], lower[i]);
  }
  return into ?? { upper, middle, lower, percentB: percentB as Float64Array, bandwidth: bandwidth as Float64Array };
}

/**
 * The band loop, in its own function so that a deoptimisation of bollinger() (a new `into`
 * shape, number[] input) does not leave it running in on-stack-replaced code (see
 * trueRangeKernel).
 */
function bandsKernel(c: Float64Array, period: number, stdDev: number, upper: Float64Array, middle: Float64Array, lower: Float64Array): void {
  const n = c.length;
  const warmUp = period - 1;
  const inv = 1 / period;
  const every = resumEvery(period);
  // BandState.step with the state in locals, arranged in blocks that start with an exact re-sum
  // so the hot loop has no nested loop (V8 keeps its state in registers then: ~2× faster).
  let i = warmUp;
  while (i < n) {
    let shift = c[i];
    let s1 = 0;
    let s2 = 0;
    for (let j = i - warmUp; j <= i; j++) {
      const d = c[j] - shift;
      s1 += d;
      s2 += d * d;
    }
    let peak = s2;
    // peak · MAX_S2_DROP, recomputed only when peak moves (the same product BandState forms).
    let floor = peak * MAX_S2_DROP;
    let untilRecenter = period;
    const end = Math.min(i + every, n);
    // The same step spelled out eight times per iteration, as in trueRangeKernel: V8 re-checks
    // each typed array (map, length, data pointer) at the top of every iteration, and with four
    // arrays that cost as much as the arithmetic (1M bars: 4.1 ms one bar per iteration, 3.4 ms
    // eight; Tulip C 2.5 ms). Each step writes bar i, then folds bar i+1 into the sums.
    for (;;) {
      {
        const offset = s1 * inv;
        const variance = s2 * inv - offset * offset;
        const width = stdDev * (variance > 0 ? Math.sqrt(variance) : 0);
        const mid = shift + offset;
        middle[i] = mid;
        upper[i] = mid + width;
        lower[i] = mid - width;
      }
      if (++i >= end) break;
      {
        const x = c[i];
        const a = x - shift;
        const b = c[i - period] - shift;
        s1 += a - b;
        s2 += a * a - b * b;
        if (!(s2 >= floor)) break;
        if (--untilRecenter === 0) {
          if (s2 > peak) floor = (peak = s2) * MAX_S2_DROP;
          const delta = x - shift;
          s2 -= delta * (2 * s1 - period * delta);
          s1 -= period * delta;
          shift = x;
          untilRecenter = period;
        }
      }
      {
        const offset = s1 * inv;
        const variance = s2 * inv - offset * offset;
        const width = stdDev * (variance > 0 ? Math.sqrt(variance) : 0);
        const mid = shift + offset;
        middle[i] = mid;
        upper[i] = mid + width;
        lower[i] = mid - width;
      }
      if (++i >= end) break;
      {
        const x = c[i];
        const a = x - shift;
        const b = c[i - period] - shift;
        s1 += a - b;
        s2 += a * a - b * b;
        if (!(s2 >= floor)) break;
        if (--untilRecenter === 0) {
          if (s2 > peak) floor = (peak = s2) * MAX_S2_DROP;
          const delta = x - shift;
          s2 -= delta * (2 * s1 - period * delta);
          s1 -= period * delta;
          shift = x;
          untilRecenter = period;
        }
      }
      {
        const offset = s1 * inv;
        const variance = s2 * inv - offset * offset;
        const width = stdDev * (variance > 0 ? Math.sqrt(variance) : 0);
        const mid = shift + offset;
        middle[i] = mid;
        upper[i] = mid + width;
        lower[i] = mid - width;
      }
      if (++i >= end) break;
      {
        const x = c[i];
        const a = x - shift;
        const b = c[i - period] - shift;
        s1 += a - b;
        s2 += a * a - b * b;
        if (!(s2 >= floor)) break;
        if (--untilRecenter === 0) {
          if (s2 > peak) floor = (peak = s2) * MAX_S2_DROP;
          const delta = x - shift;
          s2 -= delta * (2 * s1 - period * delta);
          s1 -= period * delta;
          shift = x;
          untilRecenter = period;
        }
      }
      {
        const offset = s1 * inv;
        const variance = s2 * inv - offset * offset;
        const width = stdDev * (variance > 0 ? Math.sqrt(variance) : 0);
        const mid = shift + offset;
        middle[i] = mid;
        upper[i] = mid + width;
        lower[i] = mid - width;
      }
      if (++i >= end) break;
      {
        const x = c[i];
        const a = x - shift;
        const b = c[i - period] - shift;
        s1 += a - b;
        s2 += a * a - b * b;
        if (!(s2 >= floor)) break;
        if (--untilRecenter === 0) {
          if (s2 > peak) floor = (peak = s2) * MAX_S2_DROP;
          const delta = x - shift;
          s2 -= delta * (2 * s1 - period * delta);
          s1 -= period * delta;
          shift = x;
          untilRecenter = period;
        }
      }
      {
        const offset = s1 * inv;
        const variance = s2 * inv - offset * offset;
        const width = stdDev * (variance > 0 ? Math.sqrt(variance) : 0);
        const mid = shift + offset;
        middle[i] = mid;
        upper[i] = mid + width;
        lower[i] = mid - width;
      }
      if (++i >= end) break;
      {
        const x = c[i];
        const a = x - shift;
        const b = c[i - period] - shift;
        s1 += a - b;
        s2 += a * a - b * b;
        if (!(s2 >= floor)) break;
        if (--untilRecenter === 0) {
          if (s2 > peak) floor = (peak = s2) * MAX_S2_DROP;
          const delta = x - shift;
          s2 -= delta * (2 * s1 - period * delta);
          s1 -= period * delta;
          shift = x;
          untilRecenter = period;
        }
      }
      {
        const offset = s1 * inv;
        const variance = s2 * inv - offset * offset;
        const width = stdDev * (variance > 0 ? Math.sqrt(variance) : 0);
        const mid = shift + offset;
        middle[i] = mid;
        upper[i] = mid + width;
        lower[i] = mid - width;
      }
      if (++i >= end) break;
      {
        const x = c[i];
        const a = x - shift;
        const b = c[i - period] - shift;
        s1 += a - b;
        s2 += a * a - b * b;
        if (!(s2 >= floor)) break;
        if (--untilRecenter === 0) {
          if (s2 > peak) floor = (peak = s2) * MAX_S2_DROP;
          const delta = x - shift;
          s2 -= delta * (2 * s1 - period * delta);
          s1 -= period * delta;
          shift = x;
          untilRecenter = period;
        }
      }
      {
        const offset = s1 * inv;
        const variance = s2 * inv - offset * offset;
        const width = stdDev * (variance > 0 ? Math.sqrt(variance) : 0);
        const mid = shift + offset;
        middle[i] = mid;
        upper[i] = mid + width;
        lower[i] = mid - width;
      }
      if (++i >= end) break;
      {
        const x = c[i];
        const a = x - shift;
        const b = c[i - period] - shift;
        s1 += a - b;
        s2 += a * a - b * b;
        if (!(s2 >= floor)) break;
        if (--untilRecenter === 0) {
          if (s2 > peak) floor = (peak = s2) * MAX_S2_DROP;
          const delta = x - shift;
          s2 -= delta * (2 * s1 - period * delta);
          s1 -= period * delta;
          shift = x;
          untilRecenter = period;
        }
      }
      {
        const offset = s1 * inv;
        const variance = s2 * inv - offset * offset;
        const width = stdDev * (variance > 0 ? Math.sqrt(variance) : 0);
        const mid = shift + offset;
        middle[i] = mid;
        upper[i] = mid + width;
        lower[i] = mid - width;
      }
      if (++i >= end) break;
      {
        const x = c[i];
        const a = x - shift;
        const b = c[i - period] - shift;
        s1 += a - b;
        s2 += a * a - b * b;
        if (!(s2 >= floor)) break;
        if (--untilRecenter === 0) {
          if (s2 > peak) floor = (peak = s2) * MAX_S2_DROP;
          const delta = x - shift;
          s2 -= delta * (2 * s1 - period * delta);
          s1 -= period * delta;
          shift = x;
          untilRecenter = period;
        }
      }
    }
  }
}

/** Streaming {@link bollinger}: shares the per-bar arithmetic, so the numbers are identical. */
export class BollingerBands implements StreamingIndicator<CloseOrBar, BollingerPoint> {
  private readonly window: Ring;
  private readonly state: BandState;
  /** The close of the last full window (NaN: none yet); the bands are the state's. */
  private close = Number.NaN;
  /** The result object of the last update, made when first read (null: not yet). */
  private current: BollingerPoint | null = null;

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
    return this.getResult();
  }

  getResult(): BollingerPoint {
    // The field getters answer NaN through the warm-up.
    return (this.current ??= { upper: this.upper, middle: this.middle, lower: this.lower, percentB: this.percentB, bandwidth: this.bandwidth });
  }

  /** The last result's bands without its object (`getResult().upper`, ...). */
  get upper(): number {
    return Number.isNaN(this.close) ? Number.NaN : this.state.upper;
  }

  get middle(): number {
    return Number.isNaN(this.close) ? Number.NaN : this.state.middle;
  }

  get lower(): number {
    return Number.isNaN(this.close) ? Number.NaN : this.state.lower;
  }

  get bandwidth(): number {
    const s = this.state;
    return Number.isNaN(this.close) ? Number.NaN : bandwidthOf(s.upper, s.middle, s.lower);
  }

  /** The last result's %B without its object (`getResult().percentB`). */
  get percentB(): number {
    const s = this.state;
    return Number.isNaN(this.close) ? Number.NaN : percentBOf(this.close, s.upper, s.lower);
  }

  /** The warm-up is over: results are numbers from here on. */
  get isStable(): boolean {
    return !Number.isNaN(this.close);
  }

  update(input: CloseOrBar): BollingerPoint {
    this.push(input);
    return this.getResult();
  }

  /**
   * `update` without its result object: the result is made when read. A backtest feed updates
   * every timeframe's indicators at each bar and reads few of the results.
   */
  push(input: CloseOrBar): void {
    const close = closeOf(input);
    assertFinite('close', close);
    const w = this.window;
    w.push(close);
    if (w.size < this.period) return;
    this.state.step(w.buf, w.start + 1);
    this.close = close;
    this.current = null;
  }
}
