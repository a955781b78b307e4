import { pct } from './format.js';
import { deny, exposuresAfter, notional, pass, type RiskCheck } from '../types.js';

/** Share of equity held in the traded asset after the trade. */
export const concentrationCheck: RiskCheck = {
  name: 'concentration',
  entryOnly: true,
  run({ ctx, limits, quiet }) {
    const held = exposuresAfter(ctx).find((e) => e.pair === ctx.trade.pair);
    const share = held && ctx.equity > 0 ? Math.abs(notional(held)) / ctx.equity : held ? Infinity : 0;
    const text = () => `${ctx.trade.pair} would be ${pct(share)} of equity`;
    return share > limits.max_concentration
      ? deny('CONCENTRATION_LIMIT', `${text()}, over the limit ${pct(limits.max_concentration)}`, share, limits.max_concentration)
      : pass(quiet ? '' : text(), share, limits.max_concentration);
  },
};
