import { ManualClock } from '../../src/core/clock.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { PaperVenue, type PaperSettings } from '../../src/venues/paper/venue.js';

/** A paper venue on its own store with prices set by hand (`prices.set('BTCUSD', 100)`). */
export async function openPaperVenue(opts: { path?: string; settings?: Partial<PaperSettings>; prices?: Record<string, number>; now?: number } = {}) {
  const store = await SqliteStore.open(opts.path ?? ':memory:');
  const clock = new ManualClock(opts.now ?? Date.UTC(2024, 0, 2));
  const prices = new Map(Object.entries(opts.prices ?? { BTCUSD: 100, EURUSD: 1.1, SPY: 400 }));
  const venue = new PaperVenue({
    repo: store.paper,
    clock,
    priceOf: async (pair) => {
      const price = prices.get(pair);
      if (price === undefined) throw new Error(`no test price for ${pair}`);
      return { price, timestamp: clock.now() };
    },
    settings: { accountId: 'default', initialBalance: 10000, feeRate: 0.001, slippageRate: 0, allowShortStocks: false, ...opts.settings },
  });
  return { venue, store, clock, prices, close: () => store.close() };
}
