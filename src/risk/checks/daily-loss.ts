import { pct } from './format.js';
import { deny, pass, type RiskCheck } from '../types.js';

export const dailyLossCheck: RiskCheck = {
  name: 'daily_loss',
  entryOnly: true,
  run({ ctx, limits, quiet }) {
    const start = ctx.dayStartEquity;
    const loss = start > 0 ? Math.max(0, (start - ctx.equity) / start) : 0;
    const text = () => `loss since the UTC day's start (${start.toFixed(2)} ${ctx.currency}) is ${pct(loss)}`;
    return loss > limits.max_daily_loss ? deny('DAILY_LOSS_LIMIT', `${text()}, over the limit ${pct(limits.max_daily_loss)}`, loss, limits.max_daily_loss) : pass(quiet ? '' : text(), loss, limits.max_daily_loss);
  },
};
