import { alignReturns, pearson } from '../stats.js';
import { deny, exposuresAfter, pass, resampledBasis, type RiskCheck } from '../types.js';

/**
 * Counts the holdings (the traded asset included) whose daily returns correlate with the traded
 * asset at |ρ| ≥ threshold; more than `max_correlated_positions` is one bet placed several times.
 */
export const correlationCheck: RiskCheck = {
  name: 'correlation',
  entryOnly: true,
  run({ ctx, limits, quiet }) {
    const pair = ctx.trade.pair;
    const after = exposuresAfter(ctx);
    // The other holdings are read in place (no filtered list: the backtest's gate asks on every entry, usually with none).
    let others = 0;
    for (let i = 0; i < after.length; i++) if (after[i].pair !== pair) others++;
    if (others === 0) return pass(quiet ? '' : `no other open positions to correlate ${pair} with`, 1, limits.max_correlated_positions);
    const mine = ctx.returns[pair];
    const correlated: string[] = [];
    const rhos: string[] = [];
    for (const o of after) {
      if (o.pair === pair) continue;
      const theirs = ctx.returns[o.pair];
      const { values } = mine && theirs ? alignReturns([mine, theirs], limits.var_lookback_days) : { values: [[], []] };
      if (values[0].length < limits.min_history_days) {
        return deny(
          'CORRELATION_HISTORY_INSUFFICIENT',
          `only ${values[0].length} common daily returns for ${pair} and ${o.pair} (need ${limits.min_history_days}${resampledBasis(ctx.returns, [pair, o.pair])}); correlation cannot be assessed`,
          values[0].length,
          limits.min_history_days,
        );
      }
      const rho = pearson(values[0], values[1]) ?? 0;
      rhos.push(`${o.pair} ρ=${rho.toFixed(2)}`);
      if (Math.abs(rho) >= limits.correlation_threshold) correlated.push(o.pair);
    }
    const count = 1 + correlated.length;
    const text = `${count} position(s) correlated at |ρ| ≥ ${limits.correlation_threshold} with ${pair} (${rhos.join(', ')})`;
    return count > limits.max_correlated_positions
      ? deny('CORRELATION_LIMIT', `${text}, over the limit ${limits.max_correlated_positions}`, count, limits.max_correlated_positions)
      : pass(text, count, limits.max_correlated_positions);
  },
};
