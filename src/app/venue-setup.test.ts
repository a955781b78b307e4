import { afterEach, describe, expect, it } from 'vitest';
import { configSchema, type ConfigInput } from '../config/schema.js';
import { ManualClock } from '../core/clock.js';
import { FfeError } from '../core/errors.js';
import type { MarketData } from '../data/port.js';
import { SqliteStore } from '../store/sqlite/store.js';
import { PaperVenue } from '../venues/paper/venue.js';
import { UnifiedVenue } from '../venues/unified/venue.js';
import { startFakeOanda } from '../../test/fakes/oanda-server.js';
import { buildVenue } from './venue-setup.js';

const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});
async function deps() {
  const store = await SqliteStore.open(':memory:');
  stores.push(store);
  const marketData = { latestQuote: async (pair: string) => ({ pair, price: 100, timestamp: 0, source: 'test' }) } as unknown as MarketData;
  return { store, marketData, clock: new ManualClock(Date.UTC(2024, 0, 1)) };
}
const cfg = (c: ConfigInput) => configSchema.parse(c);

describe('buildVenue', () => {
  it('paper mode is the paper account, priced by MarketData, with the paper_trading settings and the costs section', async () => {
    const v = buildVenue(cfg({ paper_trading: { initial_balance: 2500 }, costs: { fee: 0.002 } }), await deps());
    expect(v).toBeInstanceOf(PaperVenue);
    const o = await v.placeOrder({ clientOrderId: 'x', pair: 'BTCUSD', side: 'buy', type: 'market', units: '1' });
    expect(o).toMatchObject({ averagePrice: '100.01', fees: '0.20002' });
    expect((await v.balances())[0].total).toBe('2499.79998');
  });

  it('live mode with the default routing is the unified venue over paper only', async () => {
    const v = buildVenue(cfg({ trading: { mode: 'live' } }), await deps());
    expect(v).toBeInstanceOf(UnifiedVenue);
    expect((v as UnifiedVenue).venueFor('EURUSD').name).toBe('paper');
  });

  it('live mode routing forex to Oanda without keys is a configuration error naming the variable', async () => {
    const d = await deps();
    const e = (() => {
      try {
        return buildVenue(cfg({ trading: { mode: 'live' }, venues: { routing: { forex: 'oanda' } } }), d);
      } catch (x) {
        return x;
      }
    })();
    expect(e).toBeInstanceOf(FfeError);
    expect((e as FfeError).kind).toBe('config');
    expect((e as FfeError).message).toMatch(/OANDA_API_KEY/);
  });

  it('live mode routes forex to the configured Oanda host', async () => {
    const fake = await startFakeOanda({ token: 'cfg-token' });
    try {
      const v = buildVenue(cfg({ trading: { mode: 'live' }, venues: { routing: { forex: 'oanda' }, oanda: { api_key: 'cfg-token', account_id: fake.state.accountId, base_url: fake.url } } }), await deps());
      await v.placeOrder({ clientOrderId: 'fx', pair: 'EURUSD', side: 'buy', type: 'market', units: '10' });
      expect(fake.requests.some((r) => r.method === 'POST' && r.authorized)).toBe(true);
    } finally {
      await fake.close();
    }
  });
});
