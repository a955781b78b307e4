import { pct } from './format.js';
import { deny, exposuresAfter, notional, pass, type Exposure, type RiskCheck } from '../types.js';

const text = (pair: string, share: number) => `${pair} would be ${pct(share)} of equity`;

/** Share of equity held in the traded asset after the trade. */
export const concentrationCheck: RiskCheck = {
  name: 'concentration',
  entryOnly: true,
  run({ ctx, limits, quiet }) {
    // A loop and module-level texts, no closures: the backtest's gate runs this on every entry.
    const pair = ctx.trade.pair;
    const after = exposuresAfter(ctx);
    let held: Exposure | undefined;
    for (let i = 0; i < after.length && !held; i++) if (after[i].pair === pair) held = after[i];
    const share = held && ctx.equity > 0 ? Math.abs(notional(held)) / ctx.equity : held ? Infinity : 0;
    return share > limits.max_concentration
      ? deny('CONCENTRATION_LIMIT', `${text(pair, share)}, over the limit ${pct(limits.max_concentration)}`, share, limits.max_concentration)
      : pass(quiet ? '' : text(pair, share), share, limits.max_concentration);
  },
};
