import type { StreamingIndicator } from './streaming.js';
import { trueRangeOf } from './true-range.js';
import { positivePart } from './branch-free.js';
import { assertFiniteBar, assertPeriod, assertSameLength, outputFor, toFloat64, type HighLowClose } from './validate.js';
import { wilderStep } from './wilder.js';

export interface AdxSeries {
  adx: Float64Array;
  plusDI: Float64Array;
  minusDI: Float64Array;
}

/** Buffers for {@link adx}'s output: the ADX, and the DIs only if wanted. */
export interface AdxInto {
  adx: Float64Array;
  plusDI?: Float64Array;
  minusDI?: Float64Array;
}

export interface AdxPoint {
  adx: number;
  plusDI: number;
  minusDI: number;
}

/**
 * +DM of a bar: the up-move if it is the larger move and a real extension, else 0. Ties count for
 * neither side (TA-Lib). Written as max(move, 0)·[move wins], branch-free, because which side wins
 * is a coin flip on real prices and a branch would mispredict half the time.
 */
function directionalMove(move: number, other: number): number {
  return positivePart(move) * +(move > other);
}

/** A DI in percent; a range-less stretch has no direction: 0 where TA-Lib would hold the previous value. */
function diOf(dmSum: number, trSum: number): number {
  return trSum === 0 ? 0 : 100 * (dmSum / trSum);
}

function dxOf(plusDI: number, minusDI: number): number {
  const diSum = plusDI + minusDI;
  return diSum === 0 ? 0 : 100 * (Math.abs(plusDI - minusDI) / diSum);
}

/**
 * Per-bar directional-movement arithmetic of the streaming form. The batch loop in adx() spells
 * out the same operations with its state in locals (several times faster than stepping an object
 * per bar); the tests hold the two to identical numbers.
 */
class DirectionalState {
  /** Bars with a predecessor seen so far, capped at 2·period once everything is seeded. */
  private bars = 0;
  private trSum = 0;
  private plusSum = 0;
  private minusSum = 0;
  private dxSum = 0;
  private readonly decay: number;
  private readonly inv: number;
  plusDI = Number.NaN;
  minusDI = Number.NaN;
  adx = Number.NaN;

  constructor(private readonly period: number) {
    this.decay = (period - 1) / period;
    this.inv = 1 / period;
  }

  /**
   * Bar i against bar i-1 of the three columns. Only arrays and an index cross the call, so no
   * double is boxed even where V8 declines to inline this.
   */
  step(high: Float64Array, low: Float64Array, close: Float64Array, i: number): void {
    const p = this.period;
    const tr = trueRangeOf(high[i], low[i], close[i - 1]);
    const up = high[i] - high[i - 1];
    const down = low[i - 1] - low[i];
    const plusDM = directionalMove(up, down);
    const minusDM = directionalMove(down, up);

    const bars = this.bars;
    if (bars < p) {
      this.trSum += tr;
      this.plusSum += plusDM;
      this.minusSum += minusDM;
      this.bars = bars + 1;
      if (bars + 1 < p) return;
    } else {
      // Wilder keeps running sums, not averages: S - S/period + x, taken as S·decay + x so only
      // a multiply and an add are on the dependency chain. The DI ratios are the same as with averages.
      const decay = this.decay;
      this.trSum = this.trSum * decay + tr;
      this.plusSum = this.plusSum * decay + plusDM;
      this.minusSum = this.minusSum * decay + minusDM;
    }
    const plusDI = diOf(this.plusSum, this.trSum);
    const minusDI = diOf(this.minusSum, this.trSum);
    const dx = dxOf(plusDI, minusDI);
    this.plusDI = plusDI;
    this.minusDI = minusDI;
    // ADX: the mean of the first `period` DX values, then Wilder smoothing (as WilderAverage).
    if (this.bars >= 2 * p) {
      this.adx = wilderStep(this.adx, dx, this.decay, this.inv);
    } else {
      this.dxSum += dx;
      if (++this.bars === 2 * p) this.adx = this.dxSum / p;
    }
  }
}

/**
 * Wilder's ADX with +DI/-DI (in percent). +DM/-DM and TR start at bar 1; their Wilder sums are
 * seeded with the plain sum of bars 1..period, so the DIs are first valid at index `period`;
 * DX = 100·|+DI - -DI| / (+DI + -DI); ADX is the Wilder average of DX, seeded with the mean of the
 * first `period` DX values, first valid at index 2·period-1. NaN before those indices.
 *
 * Relation to TA-Lib: TA_ADX sums bars 1..period-1 and then applies one Wilder step with bar
 * `period`, so its seed is this one minus (sum of bars 1..period-1)/period. The gap decays like
 * (1-1/period)^k: below 1e-9 relative ~300 bars later for period 14. Where the TR or DI sums are
 * zero TA-Lib skips the update and holds the previous value; here DI and DX are 0.
 * Tulip's ti_adx seeds as TA-Lib does (its ADX starts at index 2·period-2).
 *
 * With `into` (buffers of the input's length) writes there instead of allocating; the DIs are
 * written only if `into` has buffers for them.
 */
export function adx(high: ArrayLike<number>, low: ArrayLike<number>, close: ArrayLike<number>, period?: number): AdxSeries;
export function adx<T extends AdxInto>(high: ArrayLike<number>, low: ArrayLike<number>, close: ArrayLike<number>, period: number, into: T): T;
export function adx(high: ArrayLike<number>, low: ArrayLike<number>, close: ArrayLike<number>, period = 14, into?: AdxInto): AdxInto {
  assertPeriod('period', period);
  assertSameLength(high, low, close);
  const h = toFloat64(high);
  const l = toFloat64(low);
  const c = toFloat64(close);
  const n = h.length;
  const adxOut = outputFor('adx', into?.adx, n, 2 * period - 1);
  const wantDI = into === undefined || into.plusDI !== undefined || into.minusDI !== undefined;
  // Callers that want only the ADX pass one empty row for both DIs, never written.
  const none = wantDI ? undefined : new Float64Array(0);
  const plusDI = none ?? outputFor('plusDI', into?.plusDI, n, period);
  const minusDI = none ?? outputFor('minusDI', into?.minusDI, n, period);
  if (n > period) adxKernel(h, l, c, period, adxOut, plusDI, minusDI, wantDI);
  return into ?? { adx: adxOut, plusDI, minusDI };
}

/**
 * DirectionalState.step with the state in locals, one loop per warm-up phase; in its own
 * function for the reason given at trueRangeKernel (here: 1M bars 25 ms in on-stack-replaced
 * code after the wrapper deoptimised, 11 ms otherwise).
 */
function adxKernel(h: Float64Array, l: Float64Array, c: Float64Array, period: number, adxOut: Float64Array, plusDI: Float64Array, minusDI: Float64Array, wantDI: boolean): void {
  const n = h.length;
  const decay = (period - 1) / period;
  const inv = 1 / period;
  let trSum = 0;
  let plusSum = 0;
  let minusSum = 0;
  for (let i = 1; i < period; i++) {
    trSum += trueRangeOf(h[i], l[i], c[i - 1]);
    plusSum += directionalMove(h[i] - h[i - 1], l[i - 1] - l[i]);
    minusSum += directionalMove(l[i - 1] - l[i], h[i] - h[i - 1]);
  }
  let dxSum = 0;
  let value = Number.NaN;
  const seeded = 2 * period - 1;
  let i = period;
  for (; i <= seeded && i < n; i++) {
    const tr = trueRangeOf(h[i], l[i], c[i - 1]);
    const up = h[i] - h[i - 1];
    const down = l[i - 1] - l[i];
    const plusDM = directionalMove(up, down);
    const minusDM = directionalMove(down, up);
    if (i === period) {
      trSum += tr;
      plusSum += plusDM;
      minusSum += minusDM;
    } else {
      trSum = trSum * decay + tr;
      plusSum = plusSum * decay + plusDM;
      minusSum = minusSum * decay + minusDM;
    }
    const pdi = diOf(plusSum, trSum);
    const mdi = diOf(minusSum, trSum);
    const dx = dxOf(pdi, mdi);
    if (i < seeded) {
      dxSum += dx;
    } else {
      value = (dxSum + dx) / period;
      adxOut[i] = value;
    }
    if (wantDI) {
      plusDI[i] = pdi;
      minusDI[i] = mdi;
    }
  }
  // Seeded: the same steps without the phase tests.
  for (; i < n; i++) {
    const up = h[i] - h[i - 1];
    const down = l[i - 1] - l[i];
    trSum = trSum * decay + trueRangeOf(h[i], l[i], c[i - 1]);
    plusSum = plusSum * decay + directionalMove(up, down);
    minusSum = minusSum * decay + directionalMove(down, up);
    const pdi = diOf(plusSum, trSum);
    const mdi = diOf(minusSum, trSum);
    adxOut[i] = value = wilderStep(value, dxOf(pdi, mdi), decay, inv);
    if (wantDI) {
      plusDI[i] = pdi;
      minusDI[i] = mdi;
    }
  }
}

/** Streaming {@link adx}: shares the per-bar arithmetic, so the numbers are identical. */
export class ADX implements StreamingIndicator<HighLowClose, AdxPoint> {
  private readonly state: DirectionalState;
  /** [previous, current] bar, the layout DirectionalState.step reads. */
  private readonly high = new Float64Array(2);
  private readonly low = new Float64Array(2);
  private readonly close = new Float64Array(2);
  private started = false;
  /** The result object of the last update, made when first read (null: not yet). */
  private current: AdxPoint | null = null;

  constructor(readonly period = 14) {
    assertPeriod('period', period);
    this.state = new DirectionalState(period);
  }

  get value(): AdxPoint {
    return this.getResult();
  }

  getResult(): AdxPoint {
    const s = this.state;
    return (this.current ??= this.stepped ? { adx: s.adx, plusDI: s.plusDI, minusDI: s.minusDI } : { adx: Number.NaN, plusDI: Number.NaN, minusDI: Number.NaN });
  }

  /** The last result's fields without its object (`getResult().adx`, ...). */
  get adx(): number {
    return this.stepped ? this.state.adx : Number.NaN;
  }

  get plusDI(): number {
    return this.stepped ? this.state.plusDI : Number.NaN;
  }

  get minusDI(): number {
    return this.stepped ? this.state.minusDI : Number.NaN;
  }

  /** The warm-up is over: results are numbers from here on. */
  get isStable(): boolean {
    return !Number.isNaN(this.adx);
  }

  update(bar: HighLowClose): AdxPoint {
    this.push(bar);
    return this.getResult();
  }

  /** Whether a bar with a predecessor was seen (the state then holds the result). */
  private stepped = false;

  /**
   * `update` without its result object: the result is made when read. A backtest feed updates
   * every timeframe's indicators at each bar and reads few of the results.
   */
  push(bar: HighLowClose): void {
    assertFiniteBar(bar);
    const { high, low, close } = this;
    high[0] = high[1];
    low[0] = low[1];
    close[0] = close[1];
    high[1] = bar.high;
    low[1] = bar.low;
    close[1] = bar.close;
    if (!this.started) {
      this.started = true;
      return;
    }
    this.state.step(high, low, close, 1);
    this.stepped = true;
    this.current = null;
  }
}
