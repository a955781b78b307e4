import { alignReturns, historicalVar, strictlyIncreasing } from '../stats.js';
import { deny, exposuresAfter, notional, pass, resampledBasis, type PortfolioContext, type ReturnSeries, type RiskCheck } from '../types.js';
import { pct } from './format.js';

/**
 * Daily portfolio returns after the trade: Σ wᵢ·rᵢ with weights wᵢ = signed notional / equity,
 * on the days every held asset has a return. Pairs without any history are listed in `missing`.
 */
export function portfolioReturns(ctx: PortfolioContext, lookback: number): { returns: number[]; missing: string[] } {
  const held = exposuresAfter(ctx);
  const missing = held.filter((e) => !ctx.returns[e.pair]?.values.length).map((e) => e.pair);
  if (missing.length || held.length === 0) return { returns: [], missing };
  const { values } = alignReturns(
    held.map((e) => ctx.returns[e.pair]),
    lookback,
  );
  const weights = held.map((e) => notional(e) / ctx.equity);
  const n = values[0]?.length ?? 0;
  // Plain loops, summed in the same order as before (0 + w₀r₀ + w₁r₁ ...): bit-identical returns.
  const returns = new Array<number>(n);
  for (let t = 0; t < n; t++) {
    let s = 0;
    for (let i = 0; i < weights.length; i++) s += weights[i] * values[i][t];
    returns[t] = s;
  }
  return { returns, missing };
}

/** Per return series, its last `lookback` returns sorted ascending (null: not one finite return per day). */
const sortedTails = new WeakMap<ReturnSeries, { lookback: number; sorted: Float64Array | null }>();

/**
 * A return series that brings what `sortedTail(s, lookback)` is, worked out by its maker: the
 * backtest's gate keeps one sorted window that slides with the day instead of sorting each day's
 * new window (that sort was most of a gated entry). It must be exactly what sortedTail computes
 * (risk-gate.test.ts compares them). `of` is the `values` it was worked out from: a copy of the
 * series with other values does not take it.
 */
export interface ReturnSeriesWithTail extends ReturnSeries {
  readonly sortedTail: { readonly of: readonly number[]; readonly lookback: number; readonly sorted: ArrayLike<number> | null };
}

/** `s`'s last `lookback` returns sorted ascending, or null when its dates are not strictly increasing or a return is not finite. */
export function sortedTail(s: ReturnSeries, lookback: number): ArrayLike<number> | null {
  const known = (s as Partial<ReturnSeriesWithTail>).sortedTail;
  if (known !== undefined && known.of === s.values && known.lookback === lookback) return known.sorted;
  const hit = sortedTails.get(s);
  if (hit && hit.lookback === lookback) return hit.sorted;
  const tail = Float64Array.from(s.values.slice(-lookback)).sort();
  const sorted = strictlyIncreasing(s.dates) && tail.every(Number.isFinite) ? tail : null;
  sortedTails.set(s, { lookback, sorted });
  return sorted;
}

/**
 * `portfolioReturns` + `historicalVar` for a single holding, without the per-call returns and sort:
 * its returns are w·r (w = notional / equity), and multiplying by w keeps the order (reverses it for
 * a short), so the quantile is w times the sorted tail's entry, bit for bit. A backtest keeps one
 * series object until its window moves, so the sort runs once a day. Null: take the general path.
 */
function singleHoldingVar(ctx: PortfolioContext, lookback: number, confidence: number): { n: number; v: number } | null {
  const held = exposuresAfter(ctx);
  if (held.length !== 1) return null;
  const s = ctx.returns[held[0].pair];
  if (!s?.values.length) return null;
  const sorted = sortedTail(s, lookback);
  const w = notional(held[0]) / ctx.equity;
  if (!sorted || !Number.isFinite(w)) return null;
  const n = sorted.length;
  const k = Math.min(n - 1, Math.floor(n * (1 - confidence) + 1e-9));
  const q = w > 0 ? w * sorted[k] : w < 0 ? w * sorted[n - 1 - k] : 0;
  return { n, v: Math.max(0, -q) };
}

export const varCheck: RiskCheck = {
  name: 'var',
  entryOnly: true,
  run({ ctx, limits, quiet }) {
    if (!(ctx.equity > 0)) return deny('VAR_NO_EQUITY', `account equity is ${ctx.equity} ${ctx.currency}; VaR is undefined`);
    let single = singleHoldingVar(ctx, limits.var_lookback_days, limits.var_confidence);
    if (!single) {
      const { returns, missing } = portfolioReturns(ctx, limits.var_lookback_days);
      if (missing.length) return deny('VAR_HISTORY_MISSING', `no daily price history for ${missing.join(', ')}; portfolio VaR cannot be computed`);
      single = { n: returns.length, v: returns.length < limits.min_history_days ? 0 : historicalVar(returns, limits.var_confidence) };
    }
    const { n, v } = single;
    if (n < limits.min_history_days) {
      const from = resampledBasis(ctx.returns, Object.keys(ctx.returns));
      return deny('VAR_HISTORY_INSUFFICIENT', `only ${n} common daily returns for the portfolio (need ${limits.min_history_days}${from}); VaR cannot be trusted`, n, limits.min_history_days);
    }
    const text = () => `1-day ${Math.round(limits.var_confidence * 100)}% historical VaR after the trade is ${pct(v)} of equity (${n} days${resampledBasis(ctx.returns, Object.keys(ctx.returns))})`;
    return v > limits.var_limit ? deny('VAR_LIMIT', `${text()}, over the limit ${pct(limits.var_limit)}`, v, limits.var_limit) : pass(quiet ? '' : text(), v, limits.var_limit);
  },
};
