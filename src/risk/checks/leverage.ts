import { deny, exposuresAfter, notional, pass, type RiskCheck } from '../types.js';

/** Gross exposure (Σ |notional|) after the trade as a multiple of equity. */
export const leverageCheck: RiskCheck = {
  name: 'leverage',
  entryOnly: true,
  run({ ctx, limits, quiet }) {
    const gross = exposuresAfter(ctx).reduce((s, e) => s + Math.abs(notional(e)), 0);
    const lev = ctx.equity > 0 ? gross / ctx.equity : gross > 0 ? Infinity : 0;
    const text = () => `gross exposure ${gross.toFixed(2)} ${ctx.currency} is ${lev.toFixed(2)}× equity`;
    return lev > limits.max_leverage ? deny('LEVERAGE_LIMIT', `${text()}, over the limit ${limits.max_leverage}×`, lev, limits.max_leverage) : pass(quiet ? '' : text(), lev, limits.max_leverage);
  },
};
