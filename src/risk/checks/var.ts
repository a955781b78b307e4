import { alignReturns, historicalVar, strictlyIncreasing } from '../stats.js';
import { deny, exposuresAfter, notional, pass, resampledBasis, type PortfolioContext, type ReturnSeries, type RiskCheck } from '../types.js';
import { LastText, pct } from './format.js';

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

/** What `singleHoldingVar` found: fields of one object (doubles in place), not an object per call. */
const found = { n: 0, v: 0 };

/**
 * `portfolioReturns` + `historicalVar` for a single holding, without the per-call returns and sort:
 * its returns are w·r (w = notional / equity), and multiplying by w keeps the order (reverses it for
 * a short), so the quantile is w times the sorted tail's entry, bit for bit. A backtest keeps one
 * series object until its window moves, so the sort runs once a day. False: take the general path;
 * true: the day count and VaR are in `found`.
 */
function singleHoldingVar(ctx: PortfolioContext, lookback: number, confidence: number): boolean {
  const held = exposuresAfter(ctx);
  if (held.length !== 1) return false;
  const s = ctx.returns[held[0].pair];
  if (!s?.values.length) return false;
  const sorted = sortedTail(s, lookback);
  const w = notional(held[0]) / ctx.equity;
  if (!sorted || !Number.isFinite(w)) return false;
  const n = sorted.length;
  const k = Math.min(n - 1, Math.floor(n * (1 - confidence) + 1e-9));
  const q = w > 0 ? w * sorted[k] : w < 0 ? w * sorted[n - 1 - k] : 0;
  found.n = n;
  found.v = Math.max(0, -q);
  return true;
}

const text = (confidence: number, v: number, n: number, from: string) => `1-day ${Math.round(confidence * 100)}% historical VaR after the trade is ${pct(v)} of equity (${n} days${from})`;
const SHORT = new LastText<number, number, string, number, number>();
const shortText = (n: number, need: number, from: string) => `only ${n} common daily returns for the portfolio (need ${need}${from}); VaR cannot be trusted`;

export const varCheck: RiskCheck = {
  name: 'var',
  entryOnly: true,
  run({ ctx, limits, quiet }) {
    if (!(ctx.equity > 0)) return deny('VAR_NO_EQUITY', `account equity is ${ctx.equity} ${ctx.currency}; VaR is undefined`);
    let n: number;
    let v: number;
    if (singleHoldingVar(ctx, limits.var_lookback_days, limits.var_confidence)) {
      n = found.n;
      v = found.v;
    } else {
      const { returns, missing } = portfolioReturns(ctx, limits.var_lookback_days);
      if (missing.length) return deny('VAR_HISTORY_MISSING', `no daily price history for ${missing.join(', ')}; portfolio VaR cannot be computed`);
      n = returns.length;
      v = returns.length < limits.min_history_days ? 0 : historicalVar(returns, limits.var_confidence);
    }
    // Too short a history is refused day after day in a backtest's first weeks: one text while its numbers stay.
    if (n < limits.min_history_days) return deny('VAR_HISTORY_INSUFFICIENT', SHORT.get(n, limits.min_history_days, resampledBasis(ctx.returns), 0, 0, shortText), n, limits.min_history_days);
    if (v > limits.var_limit) return deny('VAR_LIMIT', `${text(limits.var_confidence, v, n, resampledBasis(ctx.returns))}, over the limit ${pct(limits.var_limit)}`, v, limits.var_limit);
    return pass(quiet ? '' : text(limits.var_confidence, v, n, resampledBasis(ctx.returns)), v, limits.var_limit);
  },
};
