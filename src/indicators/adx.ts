import { trueRangeOf } from './true-range.js';
import {
  assertFiniteBar,
  assertPeriod,
  assertSameLength,
  nanPrefixed,
  toFloat64,
  type HighLowClose,
} from './validate.js';
import { WilderAverage } from './wilder.js';

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
  /** Bars with a predecessor seen so far, capped at `period` once the sums are seeded. */
  private bars = 0;
  private trSum = 0;
  private plusSum = 0;
  private minusSum = 0;
  private readonly dxAverage: WilderAverage;
  private readonly decay: number;
  plusDI = Number.NaN;
  minusDI = Number.NaN;
  adx = Number.NaN;

  constructor(private readonly period: number) {
    this.dxAverage = new WilderAverage(period);
    this.decay = (period - 1) / period;
  }

  step(high: number, low: number, prevHigh: number, prevLow: number, prevClose: number): void {
    const p = this.period;
    const tr = trueRangeOf(high, low, prevClose);
    const up = high - prevHigh;
    const down = prevLow - low;
    // Only the larger move counts, and only if it is a real extension; ties count for neither
    // (TA-Lib). Written as max(move, 0)·[move wins] because which side wins is a coin flip on
    // real prices, and a branch would mispredict half the time.
    const plusDM = Math.max(up, 0) * +(up > down);
    const minusDM = Math.max(down, 0) * +(down > up);

    if (this.bars < p) {
      this.trSum += tr;
      this.plusSum += plusDM;
      this.minusSum += minusDM;
      if (++this.bars < p) return;
    } else {
      // Wilder keeps running sums, not averages: S - S/period + x, taken as S·decay + x so only
      // a multiply and an add are on the dependency chain. The DI ratios are the same as with averages.
      const decay = this.decay;
      this.trSum = this.trSum * decay + tr;
      this.plusSum = this.plusSum * decay + plusDM;
      this.minusSum = this.minusSum * decay + minusDM;
    }
    // A range-less stretch has no direction: report 0 where TA-Lib would hold the previous value.
    const plusDI = this.trSum === 0 ? 0 : 100 * (this.plusSum / this.trSum);
    const minusDI = this.trSum === 0 ? 0 : 100 * (this.minusSum / this.trSum);
    const diSum = plusDI + minusDI;
    const dx = diSum === 0 ? 0 : 100 * (Math.abs(plusDI - minusDI) / diSum);
    this.plusDI = plusDI;
    this.minusDI = minusDI;
    this.adx = this.dxAverage.update(dx);
  }
}

/**
 * Wilder's ADX with +DI/-DI (in percent). +DM/-DM and TR start at bar 1; their Wilder sums are
 * seeded with the plain sum of bars 1..period, so the DIs are first valid at index `period`;
 * DX = 100·|+DI - -DI| / (+DI + -DI); ADX is the Wilder average of DX, seeded with the mean of the
 * first `period` DX values, first valid at index 2·period-1. NaN before those indices.
 *
 * Relation to TA-Lib: TA_ADX seeds its sums with bars 1..period-1 and then applies one Wilder
 * step with bar `period`, i.e. its seed is this one minus S/period. The gap decays like
 * (1-1/period)^k (below 1e-9 relative ~300 bars later for period 14). When TR or DI sums are
 * zero TA-Lib skips the update; here DI/DX are 0.
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
    state.step(h[i], l[i], h[i - 1], l[i - 1], c[i - 1]);
    if (i >= period) {
      plusDI[i] = state.plusDI;
      minusDI[i] = state.minusDI;
      adxOut[i] = state.adx;
    }
  }
  return { adx: adxOut, plusDI, minusDI };
}

/** Streaming {@link adx}: shares the per-bar arithmetic, so the numbers are identical. */
export class ADX {
  private readonly state: DirectionalState;
  private prevHigh = Number.NaN;
  private prevLow = Number.NaN;
  private prevClose = Number.NaN;
  private current: AdxPoint = { adx: Number.NaN, plusDI: Number.NaN, minusDI: Number.NaN };

  constructor(readonly period = 14) {
    assertPeriod('period', period);
    this.state = new DirectionalState(period);
  }

  get value(): AdxPoint {
    return this.current;
  }

  update(bar: HighLowClose): AdxPoint {
    assertFiniteBar(bar);
    const { high, low, close } = bar;
    if (!Number.isNaN(this.prevClose)) {
      const s = this.state;
      s.step(high, low, this.prevHigh, this.prevLow, this.prevClose);
      this.current = { adx: s.adx, plusDI: s.plusDI, minusDI: s.minusDI };
    }
    this.prevHigh = high;
    this.prevLow = low;
    this.prevClose = close;
    return this.current;
  }
}
