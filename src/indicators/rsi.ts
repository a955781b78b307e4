import { WilderAverage, wilderStep } from './wilder.js';
import { positivePart } from './branch-free.js';
import { assertFinite, assertPeriod, outputFor, toFloat64 } from './validate.js';
import { closeOf, type CloseOrBar, type StreamingIndicator } from './streaming.js';

/**
 * RSI from Wilder-smoothed average gain and loss. TA-Lib's form 100·g/(g+l) equals
 * 100 - 100/(1+g/l) but needs no special case for l = 0 (it gives 100). A perfectly flat window
 * (g = l = 0) gives 50, the neutral reading, where TA-Lib returns 0: 0 would read as "deeply
 * oversold" on a halted market and fire mean-reversion entries.
 */
function rsiFrom(avgGain: number, avgLoss: number): number {
  const total = avgGain + avgLoss;
  return total === 0 ? 50 : 100 * (avgGain / total);
}

/**
 * Wilder's RSI. The first value, at index `period`, uses the simple mean of the first `period`
 * gains and losses (changes 1..period); after that avg = (prev·(period-1) + x) / period.
 * NaN before index `period`. With `into` (the input's length) writes there instead of allocating.
 */
export function rsi(close: ArrayLike<number>, period = 14, into?: Float64Array): Float64Array {
  assertPeriod('period', period);
  const c = toFloat64(close);
  const n = c.length;
  const out = outputFor('into', into, n, period);
  if (n <= period) return out;
  let gains = 0;
  let losses = 0;
  for (let i = 1; i <= period; i++) {
    const change = c[i] - c[i - 1];
    if (change > 0) gains += change;
    else losses -= change;
  }
  let avgGain = gains / period;
  let avgLoss = losses / period;
  out[period] = rsiFrom(avgGain, avgLoss);
  const decay = (period - 1) / period;
  const inv = 1 / period;
  for (let i = period + 1; i < n; i++) {
    const change = c[i] - c[i - 1];
    // Branch-free split (up/down is a coin flip on real prices, so a branch mispredicts half the
    // time); gain - change is exactly -change or 0, the same values the branches would give.
    const gain = positivePart(change);
    avgGain = wilderStep(avgGain, gain, decay, inv);
    avgLoss = wilderStep(avgLoss, gain - change, decay, inv);
    out[i] = rsiFrom(avgGain, avgLoss);
  }
  return out;
}

/** Streaming {@link rsi}: same arithmetic in the same order, so the numbers are identical. */
export class RSI implements StreamingIndicator<CloseOrBar, number> {
  private readonly avgGain: WilderAverage;
  private readonly avgLoss: WilderAverage;
  private prevClose = Number.NaN;
  private current = Number.NaN;

  constructor(readonly period = 14) {
    assertPeriod('period', period);
    this.avgGain = new WilderAverage(period);
    this.avgLoss = new WilderAverage(period);
  }

  get value(): number {
    return this.current;
  }

  getResult(): number {
    return this.current;
  }

  /** The warm-up is over: results are numbers from here on. */
  get isStable(): boolean {
    return !Number.isNaN(this.current);
  }

  update(input: CloseOrBar): number {
    const close = closeOf(input);
    assertFinite('close', close);
    const prev = this.prevClose;
    this.prevClose = close;
    if (Number.isNaN(prev)) return this.current;
    const change = close - prev;
    const gain = positivePart(change);
    const avgGain = this.avgGain.update(gain);
    const avgLoss = this.avgLoss.update(gain - change);
    if (!Number.isNaN(avgGain)) this.current = rsiFrom(avgGain, avgLoss);
    return this.current;
  }
}
