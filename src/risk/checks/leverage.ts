import { deny, exposuresAfter, notional, pass, type RiskCheck } from '../types.js';

const text = (gross: number, currency: string, lev: number) => `gross exposure ${gross.toFixed(2)} ${currency} is ${lev.toFixed(2)}× equity`;

/** Gross exposure (Σ |notional|) after the trade as a multiple of equity. */
export const leverageCheck: RiskCheck = {
  name: 'leverage',
  entryOnly: true,
  run({ ctx, limits, quiet }) {
    // Summed in list order from 0, as a reduce did, without its callback and the text's closure.
    const after = exposuresAfter(ctx);
    let gross = 0;
    for (let i = 0; i < after.length; i++) gross += Math.abs(notional(after[i]));
    const lev = ctx.equity > 0 ? gross / ctx.equity : gross > 0 ? Infinity : 0;
    return lev > limits.max_leverage
      ? deny('LEVERAGE_LIMIT', `${text(gross, ctx.currency, lev)}, over the limit ${limits.max_leverage}×`, lev, limits.max_leverage)
      : pass(quiet ? '' : text(gross, ctx.currency, lev), lev, limits.max_leverage);
  },
};
