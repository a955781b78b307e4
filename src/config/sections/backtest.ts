import { z } from 'zod';
import { field, fraction } from '../meta.js';
import { urlSetting } from '../url.js';

export const backtestSection = z.strictObject({
  initial_balance: field(z.number().positive().default(10000), { description: 'starting cash of a backtest, in account_currency (converted into the quote currency of a pair like ETH/BTC at the start)' }),
  account_currency: field(
    z
      .string()
      .regex(/^[A-Z0-9]{2,10}$/)
      .default('USD'),
    {
      description: 'currency balances are stated in; a pair quoted in another one is converted through a price series (BTCUSD for ETH/BTC) and reported in both',
    },
  ),
  timeframe: field(z.enum(['1m', '5m', '15m', '1h', '4h', '1d']).default('1h'), { description: 'base timeframe: decisions are taken at each of its bar closes' }),
  fill: field(z.enum(['next_open', 'close']).default('next_open'), { description: "fill model: the next bar's open (default) or the signal bar's close" }),
  stop_anchor: field(z.enum(['signal_close', 'entry']).default('signal_close'), {
    description:
      "what the stop-loss and take-profit fractions are taken of: signal_close (the close the decision was taken at, as live orders attach them) or entry (the entry fill's price, slippage included; fast engine only)",
  }),
  intrabar_order: field(z.enum(['finer_bars', 'stop_first']).default('finer_bars'), {
    description: 'a bar that reached both the stop and the target: finer_bars reads the 1m bars inside it, where the data has them, to see which came first (else the stop); stop_first always counts it as stopped',
  }),
  allow_short: field(z.boolean().default(true), { description: 'SELL signals open short positions (false: they only close longs)' }),
  risk_free_rate: fraction(0.02, 'annual risk-free rate used by Sharpe and Sortino'),
  monte_carlo: z
    .strictObject({
      simulations: field(z.number().int().min(1).max(100000).default(500), { description: 'Monte Carlo simulations' }),
      noise_fraction: field(z.number().min(0).max(2).default(0.5), {
        description:
          "price-path perturbation: standard deviation of the noise added to each bar's log return, as a fraction of that bar's own volatility (Parkinson range estimate); the whole bar moves, keeping its shape",
      }),
      block_length: field(z.number().min(0).max(10000).default(0), {
        description: 'trade bootstrap: mean block length of the stationary block bootstrap, in trades (0: automatic, Politis–White from the trade returns; 1: trades resampled independently)',
      }),
    })
    .prefault({}),
  walk_forward: z
    .strictObject({
      train_ratio: field(z.number().gt(0).lt(1).default(0.7), { description: 'share of each window used for training' }),
      windows: field(z.number().int().min(1).max(100).default(4), { description: 'number of rolling windows' }),
      min_train_bars: field(z.number().int().min(10).max(10_000_000).default(200), { description: 'fewest bars in a training window, whatever the timeframe (fewer windows are used below it)' }),
      min_test_bars: field(z.number().int().min(1).max(10_000_000).default(20), { description: 'fewest bars in a test window' }),
      min_trades: field(z.number().int().min(0).max(100_000).default(5), {
        description: 'fewest out-of-sample trades a window needs to be judged; windows with fewer are counted and the verdict is at least MEDIUM',
      }),
    })
    .prefault({}),
  workers: field(z.number().int().min(0).max(256).default(0), { description: 'worker threads for walk-forward, Monte Carlo and optimisation (0: one per core)' }),
  redis_url: field(urlSetting(['redis', 'rediss']).default('redis://127.0.0.1:6379'), { description: 'Redis used by `ffe worker` and --distributed runs' }),
});
