import { pct } from './format.js';
import { deny, pass, type RiskCheck } from '../types.js';

const text = (start: number, currency: string, loss: number) => `loss since the UTC day's start (${start.toFixed(2)} ${currency}) is ${pct(loss)}`;

export const dailyLossCheck: RiskCheck = {
  name: 'daily_loss',
  entryOnly: true,
  run({ ctx, limits, quiet }) {
    const start = ctx.dayStartEquity;
    const loss = start > 0 ? Math.max(0, (start - ctx.equity) / start) : 0;
    return loss > limits.max_daily_loss
      ? deny('DAILY_LOSS_LIMIT', `${text(start, ctx.currency, loss)}, over the limit ${pct(limits.max_daily_loss)}`, loss, limits.max_daily_loss)
      : pass(quiet ? '' : text(start, ctx.currency, loss), loss, limits.max_daily_loss);
  },
};
