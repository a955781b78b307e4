/**
 * The one trade policy: where the stop and the target sit and how much to trade. The analysis
 * engine applies it once per decision (so `ffe analyze`, the agent, replays and provider
 * backtests all trade what it says) and the fast backtest engine sizes strategy entries with the
 * same functions. Its settings have one home, the `sizing` config section.
 */
export interface TradePolicy {
  /** Fraction of equity lost when the stop is hit. */
  riskFraction: number;
  /** `fixed`: the stop sits `stopLoss` from entry; `atr`: k × daily ATR / price, clamped, `stopLoss` when no ATR is known. */
  stopRule: 'fixed' | 'atr';
  stopLoss: number;
  atrMultiplier: number;
  minStopFraction: number;
  maxStopFraction: number;
  takeProfit: number;
  /** Largest entry as a fraction of equity (the risk gate's concentration limit with a margin); 1: the whole equity. */
  maxPositionFraction: number;
}

export const DEFAULT_POLICY: TradePolicy = {
  riskFraction: 0.01,
  stopRule: 'fixed',
  stopLoss: 0.02,
  atrMultiplier: 2,
  minStopFraction: 0.01,
  maxStopFraction: 0.05,
  takeProfit: 0.05,
  maxPositionFraction: 1,
};

/** Stop distance as a fraction of `price` under the policy's rule. */
export function stopFraction(price: number, dailyAtr: number | null, p: TradePolicy = DEFAULT_POLICY): number {
  if (p.stopRule === 'fixed') return p.stopLoss;
  if (dailyAtr === null || !Number.isFinite(dailyAtr) || dailyAtr <= 0 || price <= 0) return p.stopLoss;
  return Math.min(p.maxStopFraction, Math.max(p.minStopFraction, (p.atrMultiplier * dailyAtr) / price));
}

/**
 * Notional to trade so that hitting a stop `stop` away loses `riskFraction × equity`, never more
 * than `maxFraction` of equity (and never beyond the whole equity: leverage is the risk gate's
 * call, not the sizer's).
 */
export function positionNotional(equity: number, stop: number, riskFraction: number, maxFraction = 1): number {
  if (!(equity > 0) || !(stop > 0) || !(riskFraction > 0)) return 0;
  return Math.min((equity * riskFraction) / stop, equity, equity * maxFraction);
}

/** What a provider may suggest; each hint, when given, replaces the policy's value. */
export interface PolicyHints {
  stopLossFraction?: number;
  takeProfitFraction?: number;
  sizeFraction?: number;
}

export interface TradePlan {
  stopLossFraction: number;
  takeProfitFraction: number;
  riskFraction: number;
  units: number;
  notional: number;
  /** Null when there is no direction (a HOLD). */
  stopLossPrice: number | null;
  takeProfitPrice: number | null;
}

/** The stop, target and size of a trade in `direction` (1 buy, -1 sell, 0 none) at `price` with `equity` in the account. */
export function planTrade(p: TradePolicy, direction: 1 | -1 | 0, price: number, equity: number, dailyAtr: number | null, hints: PolicyHints = {}): TradePlan {
  const sl = hints.stopLossFraction ?? stopFraction(price, dailyAtr, p);
  const tp = hints.takeProfitFraction ?? p.takeProfit;
  const riskFraction = hints.sizeFraction ?? p.riskFraction;
  const notional = direction === 0 || !(price > 0) ? 0 : positionNotional(equity, sl, riskFraction, p.maxPositionFraction);
  return {
    stopLossFraction: sl,
    takeProfitFraction: tp,
    riskFraction,
    units: notional === 0 ? 0 : notional / price,
    notional,
    stopLossPrice: direction === 0 ? null : price * (1 - direction * sl),
    takeProfitPrice: direction === 0 ? null : price * (1 + direction * tp),
  };
}

/** Decimal places an order's units are cut to (rounded down): whole units for forex, 8 places otherwise. */
export const unitDecimals = (assetClass: 'crypto' | 'forex' | 'stock'): number => (assetClass === 'forex' ? 0 : 8);

/**
 * `units` cut down to `decimals` places, as the order path sends them (the decimal digits of the
 * number's shortest form, so no binary rounding creeps in): the fast backtest trades the units the
 * live path would.
 */
export function orderUnits(units: number, decimals: number): number {
  if (!(units > 0)) return 0;
  // Fast path without writing the number out (String() was most of this function's cost). The
  // shortest form and the product units·10^d each sit within ~1e-16 (relative) of units·10^d, so
  // unless that product is within 1e-9 (relative) of a whole number its floor k is the digit
  // string cut at `decimals`, and k / 10^d (both exact, the division correctly rounded) is the
  // double that parsing the cut string gives. Near a whole number the digits decide below.
  if (decimals >= 0 && decimals <= 15 && Number.isInteger(decimals)) {
    const f = 10 ** decimals;
    const x = units * f;
    if (x < 2 ** 52) {
      const k = Math.floor(x);
      const eps = x * 1e-9;
      if (x - k > eps && k + 1 - x > eps) return k / f;
    }
  }
  return cutDigits(units, decimals);
}

/** `orderUnits` by the digits of the number's shortest form (the reference the fast path agrees with). */
export function cutDigits(units: number, decimals: number): number {
  if (!(units > 0)) return 0;
  const s = String(units);
  if (s.includes('e')) {
    const f = 10 ** decimals;
    return Math.floor(units * f) / f;
  }
  const dot = s.indexOf('.');
  if (dot < 0) return units;
  return Number(s.slice(0, decimals === 0 ? dot : dot + 1 + decimals));
}
