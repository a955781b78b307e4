import { sma } from '../indicators/index.js';

export interface VectorResult {
  finalEquity: number;
  trades: number;
  fees: number;
  /** Equity at each bar close (filled only when an output array is given). */
  equity: Float64Array | null;
}

/**
 * The vectorised path for `sma-cross`: long/flat, all in, filled at the signal bar's close, a fee
 * on each fill, no stops. Batch SMAs (the streaming ones' arithmetic, so crossings agree with the
 * event engine) then one fused pass over the columns: no events, no objects.
 */
export function smaCrossVectorized(close: Float64Array, fast: number, slow: number, feeRate: number, initial = 10_000, equityOut: Float64Array | null = null): VectorResult {
  const f = sma(close, fast);
  const s = sma(close, slow);
  const n = close.length;
  let cash = initial;
  let units = 0;
  let fees = 0;
  let trades = 0;
  let prev = NaN;
  for (let i = 0; i < n; i++) {
    const d = f[i] - s[i];
    const c = close[i];
    if (prev === prev && d === d) {
      if (prev <= 0 && d > 0 && units === 0) {
        // Spend all cash: notional × (1 + fee) = cash.
        const notional = cash / (1 + feeRate);
        const fee = notional * feeRate;
        units = notional / c;
        cash -= notional + fee;
        fees += fee;
      } else if (prev >= 0 && d < 0 && units !== 0) {
        const notional = units * c;
        const fee = notional * feeRate;
        cash += notional - fee;
        fees += fee;
        units = 0;
        trades++;
      }
    }
    prev = d;
    if (equityOut !== null) equityOut[i] = cash + units * c;
  }
  if (units !== 0) {
    const notional = units * close[n - 1];
    const fee = notional * feeRate;
    cash += notional - fee;
    fees += fee;
    trades++;
  }
  return { finalEquity: cash, trades, fees, equity: equityOut };
}
