import { alignReturns, historicalVar } from '../stats.js';
import { deny, exposuresAfter, notional, pass, type PortfolioContext, type RiskCheck } from '../types.js';
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

export const varCheck: RiskCheck = {
  name: 'var',
  entryOnly: true,
  run({ ctx, limits, quiet }) {
    if (!(ctx.equity > 0)) return deny('VAR_NO_EQUITY', `account equity is ${ctx.equity} ${ctx.currency}; VaR is undefined`);
    const { returns, missing } = portfolioReturns(ctx, limits.var_lookback_days);
    if (missing.length) return deny('VAR_HISTORY_MISSING', `no daily price history for ${missing.join(', ')}; portfolio VaR cannot be computed`);
    if (returns.length < limits.min_history_days) {
      return deny('VAR_HISTORY_INSUFFICIENT', `only ${returns.length} common daily returns for the portfolio (need ${limits.min_history_days}); VaR cannot be trusted`, returns.length, limits.min_history_days);
    }
    const v = historicalVar(returns, limits.var_confidence);
    const text = () => `1-day ${Math.round(limits.var_confidence * 100)}% historical VaR after the trade is ${pct(v)} of equity (${returns.length} days)`;
    return v > limits.var_limit ? deny('VAR_LIMIT', `${text()}, over the limit ${pct(limits.var_limit)}`, v, limits.var_limit) : pass(quiet ? '' : text(), v, limits.var_limit);
  },
};
