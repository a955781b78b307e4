import { describe, expect, it } from 'vitest';
import type { FfeError } from '../../src/core/errors.js';
import { krakenVenue } from '../../src/venues/kraken/index.js';
import { FAKE_KRAKEN_KEY, FAKE_KRAKEN_SECRET, startFakeKraken } from '../fakes/kraken-server.js';
import { venueContract } from './venue.contract.js';

venueContract(
  'kraken (shared ccxt venue against the local Kraken REST fake)',
  async () => {
    const fake = await startFakeKraken({ prices: { 'BTC/USD': 40000, 'XRP/USD': 0.5 } });
    const venue = krakenVenue({ apiKey: FAKE_KRAKEN_KEY, secret: FAKE_KRAKEN_SECRET, baseUrl: fake.url, timeoutMs: 600, sleep: async () => undefined, rateLimit: false });
    return { venue, pair: 'BTCUSD', price: 40000, units: '0.01', fail: fake.setMode, secrets: [FAKE_KRAKEN_KEY, FAKE_KRAKEN_SECRET], close: fake.close };
  },
  { failureModes: true },
);

describe('kraken specifics', () => {
  it('signs private calls as Kraken checks them: a wrong secret is refused as VENUE_AUTH without echoing it', async () => {
    const fake = await startFakeKraken({ prices: { 'BTC/USD': 40000 } });
    try {
      const wrong = Buffer.from('not-the-secret-0123456789abcdef').toString('base64');
      const venue = krakenVenue({ apiKey: FAKE_KRAKEN_KEY, secret: wrong, baseUrl: fake.url, timeoutMs: 600, rateLimit: false });
      const e = (await venue.balances().catch((x: unknown) => x)) as FfeError;
      expect([e.kind, e.code]).toEqual(['venue', 'VENUE_AUTH']);
      expect(e.message).not.toContain(wrong);
      const good = krakenVenue({ apiKey: FAKE_KRAKEN_KEY, secret: FAKE_KRAKEN_SECRET, baseUrl: fake.url, timeoutMs: 600, rateLimit: false });
      expect((await good.balances()).find((b) => b.currency === 'USD')?.total).toBe('100000');
    } finally {
      await fake.close();
    }
  });

  it('sends a client order id longer than Kraken takes (18) as a derived UUID and finds the order by ours', async () => {
    const fake = await startFakeKraken({ prices: { 'BTC/USD': 40000 } });
    try {
      const venue = krakenVenue({ apiKey: FAKE_KRAKEN_KEY, secret: FAKE_KRAKEN_SECRET, baseUrl: fake.url, timeoutMs: 600, rateLimit: false, sleep: async () => undefined });
      const id = 'ffe-0123456789-abcdefghij-long-id';
      const o = await venue.placeOrder({ clientOrderId: id, pair: 'BTCUSD', side: 'buy', type: 'market', units: '0.01' });
      expect(o.clientOrderId).toBe(id);
      const sent = fake.book.state.orders[0].clientId;
      expect(sent).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect((await venue.getOrderByClientId(id))?.venueOrderId).toBe(o.venueOrderId);
    } finally {
      await fake.close();
    }
  });
});
