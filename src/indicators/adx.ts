import type { StreamingIndicator } from './streaming.js';
import { trueRangeOf } from './true-range.js';
import { assertFiniteBar, assertPeriod, assertSameLength, nanPrefixed, toFloat64, type HighLowClose } from './validate.js';
import { wilderStep } from './wilder.js';

export interface AdxSeries {
  adx: Float64Array;
  plusDI: Float64Array;
  minusDI: Float64Array;
}

export interface AdxPoint {
  adx: number;
  plusDI: number;
  minusDI: number;
}

/**
 * Per-bar directional-movement arithmetic shared by the batch and streaming forms, so they agree
 * bit for bit (the warm-up has three phases, too many to keep two copies in step by hand).
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
    // Only the larger move counts, and only if it is a real extension; ties count for neither
    // (TA-Lib). Written as max(move, 0)·[move wins] because which side wins is a coin flip on
    // real prices, and a branch would mispredict half the time.
    const plusDM = Math.max(up, 0) * +(up > down);
    const minusDM = Math.max(down, 0) * +(down > up);

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
    // A range-less stretch has no direction: report 0 where TA-Lib would hold the previous value.
    const trSum = this.trSum;
    const plusDI = trSum === 0 ? 0 : 100 * (this.plusSum / trSum);
    const minusDI = trSum === 0 ? 0 : 100 * (this.minusSum / trSum);
    const diSum = plusDI + minusDI;
    const dx = diSum === 0 ? 0 : 100 * (Math.abs(plusDI - minusDI) / diSum);
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
 */
export function adx(high: ArrayLike<number>, low: ArrayLike<number>, close: ArrayLike<number>, period = 14): AdxSeries {
  assertPeriod('period', period);
  assertSameLength(high, low, close);
  const h = toFloat64(high);
  const l = toFloat64(low);
  const c = toFloat64(close);
  const n = h.length;
  const adxOut = nanPrefixed(n, 2 * period - 1);
  const plusDI = nanPrefixed(n, period);
  const minusDI = nanPrefixed(n, period);
  const state = new DirectionalState(period);
  for (let i = 1; i < n; i++) {
    state.step(h, l, c, i);
    if (i >= period) {
      plusDI[i] = state.plusDI;
      minusDI[i] = state.minusDI;
      adxOut[i] = state.adx;
    }
  }
  return { adx: adxOut, plusDI, minusDI };
}

/** Streaming {@link adx}: shares the per-bar arithmetic, so the numbers are identical. */
export class ADX implements StreamingIndicator<HighLowClose, AdxPoint> {
  private readonly state: DirectionalState;
  /** [previous, current] bar, the layout DirectionalState.step reads. */
  private readonly high = new Float64Array(2);
  private readonly low = new Float64Array(2);
  private readonly close = new Float64Array(2);
  private started = false;
  private current: AdxPoint = { adx: Number.NaN, plusDI: Number.NaN, minusDI: Number.NaN };

  constructor(readonly period = 14) {
    assertPeriod('period', period);
    this.state = new DirectionalState(period);
  }

  get value(): AdxPoint {
    return this.current;
  }

  getResult(): AdxPoint {
    return this.current;
  }

  /** The warm-up is over: results are numbers from here on. */
  get isStable(): boolean {
    return !Number.isNaN(this.current.adx);
  }

  update(bar: HighLowClose): AdxPoint {
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
      return this.current;
    }
    const s = this.state;
    s.step(high, low, close, 1);
    this.current = { adx: s.adx, plusDI: s.plusDI, minusDI: s.minusDI };
    return this.current;
  }
}
