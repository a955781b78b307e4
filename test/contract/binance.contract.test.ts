import { describe, expect, it } from 'vitest';
import type { FfeError } from '../../src/core/errors.js';
import { binanceVenue } from '../../src/venues/binance/index.js';
import { FAKE_BINANCE_KEY, FAKE_BINANCE_SECRET, startFakeBinance } from '../fakes/binance-server.js';
import { venueContract } from './venue.contract.js';

venueContract(
  'binance (shared ccxt venue against the local Binance spot REST fake)',
  async () => {
    const fake = await startFakeBinance({ prices: { 'BTC/USDT': 40000, 'XRP/USDT': 0.5 } });
    const venue = binanceVenue({ apiKey: FAKE_BINANCE_KEY, secret: FAKE_BINANCE_SECRET, baseUrl: fake.url, timeoutMs: 600, pairs: ['BTCUSDT'], sleep: async () => undefined, rateLimit: false });
    return { venue, pair: 'BTCUSDT', price: 40000, units: '0.01', fail: fake.setMode, secrets: [FAKE_BINANCE_KEY, FAKE_BINANCE_SECRET], close: fake.close };
  },
  { failureModes: true },
);

describe('binance specifics', () => {
  it('signs as Binance checks (HMAC-SHA256 of the query): a wrong secret is VENUE_AUTH, never echoed', async () => {
    const fake = await startFakeBinance({ prices: { 'BTC/USDT': 40000 } });
    try {
      const wrong = 'ab'.repeat(32);
      const e = (await binanceVenue({ apiKey: FAKE_BINANCE_KEY, secret: wrong, baseUrl: fake.url, timeoutMs: 600, rateLimit: false })
        .balances()
        .catch((x: unknown) => x)) as FfeError;
      expect([e.kind, e.code]).toEqual(['venue', 'VENUE_AUTH']);
      expect(e.message).not.toContain(wrong);
      const good = binanceVenue({ apiKey: FAKE_BINANCE_KEY, secret: FAKE_BINANCE_SECRET, baseUrl: fake.url, timeoutMs: 600, rateLimit: false });
      expect((await good.balances()).find((b) => b.currency === 'USDT')?.total).toBe('100000');
    } finally {
      await fake.close();
    }
  });

  it('refuses a buy the account cannot pay as INSUFFICIENT_FUNDS; venue order ids carry the market', async () => {
    const fake = await startFakeBinance({ prices: { 'BTC/USDT': 40000 }, balances: { USDT: '100' } });
    try {
      const venue = binanceVenue({ apiKey: FAKE_BINANCE_KEY, secret: FAKE_BINANCE_SECRET, baseUrl: fake.url, timeoutMs: 600, rateLimit: false, sleep: async () => undefined });
      const e = (await venue.placeOrder({ clientOrderId: 'too-big-1', pair: 'BTCUSDT', side: 'buy', type: 'market', units: '1' }).catch((x: unknown) => x)) as FfeError;
      expect([e.kind, e.code]).toEqual(['venue', 'INSUFFICIENT_FUNDS']);
      const o = await venue.placeOrder({ clientOrderId: 'small-1', pair: 'BTCUSDT', side: 'buy', type: 'market', units: '0.001' });
      expect(o.venueOrderId).toMatch(/^BTCUSDT:\d+$/);
      expect(fake.book.state.orders.map((x) => x.clientId)).toEqual(['small-1']);
    } finally {
      await fake.close();
    }
  });
});
