export interface VectorResult {
  finalEquity: number;
  trades: number;
  fees: number;
  /** Equity at each bar close (filled only when an output array is given). */
  equity: Float64Array | null;
}

/**
 * The vectorised path for `sma-cross`: long/flat, all in, filled at the signal bar's close, a fee
 * on each fill, no stops. One fused pass over the close column: both moving sums use the
 * indicators' SMA arithmetic (running sum, exact re-sum every max(period, 1024) bars) so the
 * crossings are bit-identical to the event engine's streaming SMAs; no events, no objects.
 */
export function smaCrossVectorized(close: Float64Array, fast: number, slow: number, feeRate: number, initial = 10_000, equityOut: Float64Array | null = null): VectorResult {
  const n = close.length;
  const everyF = Math.max(fast, 1024);
  const everyS = Math.max(slow, 1024);
  let sumF = 0;
  let sumS = 0;
  let untilF = 0;
  let untilS = 0;
  let cash = initial;
  let units = 0;
  let fees = 0;
  let trades = 0;
  let prev = NaN;
  for (let i = 0; i < n; i++) {
    const c = close[i];
    let d = NaN;
    if (i >= fast - 1) {
      if (untilF === 0) {
        sumF = 0;
        for (let j = i - fast + 1; j <= i; j++) sumF += close[j];
        untilF = everyF - 1;
      } else {
        sumF += c - close[i - fast];
        untilF--;
      }
    }
    if (i >= slow - 1) {
      if (untilS === 0) {
        sumS = 0;
        for (let j = i - slow + 1; j <= i; j++) sumS += close[j];
        untilS = everyS - 1;
      } else {
        sumS += c - close[i - slow];
        untilS--;
      }
      d = sumF / fast - sumS / slow;
    }
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
