import { z } from 'zod';
import { field } from '../meta.js';

export const tradingSection = z.strictObject({
  mode: field(z.enum(['paper', 'live']).default('paper'), {
    description: 'paper (simulated, the default) or live; live also needs --live on the command',
  }),
});

export const paperTradingSection = z.strictObject({
  initial_balance: field(z.number().positive().default(10000), { description: 'starting cash of the paper account, in USD' }),
  allow_short_stocks: field(z.boolean().default(false), { description: 'let the paper account sell stocks short (crypto and forex can always be shorted)' }),
  account_id: field(z.string().min(1).default('default'), { description: 'paper account kept in the store; a new id starts a fresh account with initial_balance' }),
});
