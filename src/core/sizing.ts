/**
 * Fixed-fractional position sizing: risk `riskFraction` of the balance over the stop distance.
 * The stop distance comes from volatility (k × daily ATR / price, clamped) when known.
 */
export interface SizingParams {
  riskFraction: number;
  defaultStopFraction: number;
  atrMultiplier: number;
  minStopFraction: number;
  maxStopFraction: number;
}

export const DEFAULT_SIZING: SizingParams = {
  riskFraction: 0.01,
  defaultStopFraction: 0.02,
  atrMultiplier: 2,
  minStopFraction: 0.01,
  maxStopFraction: 0.05,
};

export function stopFraction(price: number, dailyAtr: number | null, p: SizingParams = DEFAULT_SIZING): number {
  if (dailyAtr === null || !Number.isFinite(dailyAtr) || dailyAtr <= 0 || price <= 0) return p.defaultStopFraction;
  return Math.min(p.maxStopFraction, Math.max(p.minStopFraction, (p.atrMultiplier * dailyAtr) / price));
}

/** Units to trade so that hitting the stop loses `riskFraction × balance`. */
export function positionSize(balance: number, price: number, stop: number, riskFraction: number): { units: number; notional: number } {
  if (!(balance > 0) || !(price > 0) || !(stop > 0) || !(riskFraction > 0)) return { units: 0, notional: 0 };
  const riskAmount = balance * riskFraction;
  // Never size beyond the whole balance: leverage is the risk gate's call, not the sizer's.
  const notional = Math.min(riskAmount / stop, balance);
  return { units: notional / price, notional };
}
