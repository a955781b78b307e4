import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { FfeError } from '../../core/errors.js';
import { FAKE_COINBASE_KEY_NAME, startFakeCoinbase, type FakeCoinbase, type FakeCoinbaseOptions } from '../../../test/fakes/coinbase-server.js';
import { CoinbaseClient } from './client.js';
import { CoinbaseVenue } from './venue.js';

const newPem = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString();
const PEM = newPem();
const fakes: FakeCoinbase[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});
async function setup(opts: FakeCoinbaseOptions = {}, secret = PEM) {
  const fake = await startFakeCoinbase({ privateKeyPem: PEM, ...opts });
  fakes.push(fake);
  const venue = new CoinbaseVenue({ apiKey: FAKE_COINBASE_KEY_NAME, apiSecret: secret, sandbox: true, baseUrl: fake.url, timeoutMs: 2000 });
  return { fake, venue, writes: () => fake.requests.filter((r) => r.method === 'POST') };
}
const fails = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(FfeError);
  return e as FfeError;
};

describe('CoinbaseVenue: what ccxt sends, as recorded by the fake', () => {
  it('a market buy is POST /orders with client_order_id and market_market_ioc.base_size, signed with an ES256 JWT', async () => {
    const { fake, venue, writes } = await setup();
    const o = await venue.placeOrder({ clientOrderId: 'cb-1', pair: 'BTCUSD', side: 'buy', type: 'market', units: '0.01' });
    expect(o).toMatchObject({ clientOrderId: 'cb-1', pair: 'BTCUSD', status: 'filled', filledUnits: '0.01', averagePrice: '40000', fees: '2.4' });
    const [post] = writes();
    expect(post.path).toBe('/api/v3/brokerage/orders');
    expect(post.body).toEqual({ client_order_id: 'cb-1', product_id: 'BTC-USD', side: 'BUY', order_configuration: { market_market_ioc: { base_size: '0.01' } } });
    expect(post.authorized).toBe(true);
    expect(post.jwt).toMatchObject({ sub: FAKE_COINBASE_KEY_NAME, uri: `POST ${fake.url}/api/v3/brokerage/orders` });
    expect(post.headers['content-type']).toMatch(/application\/json/);
    const recorded = JSON.stringify(fake.requests);
    expect(recorded).not.toContain(PEM.split('\n')[1]);
  });

  it('a limit sell is limit_limit_gtc with base_size, limit_price and post_only false', async () => {
    const { venue, writes } = await setup({ balances: { USD: '0', BTC: '1' } });
    const o = await venue.placeOrder({ clientOrderId: 'cb-2', pair: 'BTCUSD', side: 'sell', type: 'limit', units: '0.5', limitPrice: '50000' });
    expect(o).toMatchObject({ status: 'open', type: 'limit', limitPrice: '50000', units: '0.5', filledUnits: '0' });
    expect(writes()[0].body).toMatchObject({ side: 'SELL', order_configuration: { limit_limit_gtc: { base_size: '0.5', limit_price: '50000', post_only: false } } });
  });

  it('looks orders up by client id in pages of the look-back window', async () => {
    const { fake, venue } = await setup();
    await venue.placeOrder({ clientOrderId: 'cb-3', pair: 'BTCUSD', side: 'buy', type: 'market', units: '0.01' });
    expect((await venue.getOrderByClientId('cb-3'))?.clientOrderId).toBe('cb-3');
    const list = fake.requests.filter((r) => r.path === '/api/v3/brokerage/orders/historical/batch').at(-1)!;
    expect(list.query.limit).toBe('250');
    expect(Date.now() - Date.parse(String(list.query.start_date))).toBeGreaterThan(29 * 86_400_000);
  });

  it('uses the Advanced Trade sandbox host unless told otherwise', () => {
    expect(new CoinbaseClient({ apiKey: 'k', apiSecret: 's', sandbox: true }).baseUrl).toBe('https://api-sandbox.coinbase.com');
    expect(new CoinbaseClient({ apiKey: 'k', apiSecret: 's', sandbox: false }).baseUrl).toBe('https://api.coinbase.com');
    expect(() => new CoinbaseClient({ apiKey: '', apiSecret: '', sandbox: true })).toThrow(/COINBASE_API_KEY/);
  });
});

describe('CoinbaseVenue: refusals and secrets', () => {
  it('does not show its key when serialised or inspected (as a logger would), even after ccxt is loaded', async () => {
    const { venue } = await setup();
    await venue.balances();
    const { inspect } = await import('node:util');
    for (const dump of [JSON.stringify(venue), inspect(venue, { depth: 10 })]) {
      expect(dump).not.toContain(PEM.split('\n')[1]);
      expect(dump).not.toContain(FAKE_COINBASE_KEY_NAME);
    }
  });

  it('a JWT signed with another key is VENUE_AUTH, and no part of the key shows in the error', async () => {
    const other = newPem();
    const { venue } = await setup({}, other);
    const e = await fails(venue.balances());
    expect([e.kind, e.code]).toEqual(['venue', 'VENUE_AUTH']);
    for (const line of other.split('\n').filter((l) => l.length > 10)) expect(`${e.message}${JSON.stringify(e.details)}`).not.toContain(line);
  });

  it('a secret that is not an EC key cannot sign: VENUE_AUTH naming the setting, not the value', async () => {
    const { venue } = await setup({}, 'not-a-pem-secret-value');
    const e = await fails(venue.balances());
    expect(e.code).toBe('VENUE_AUTH');
    expect(e.message).toMatch(/COINBASE_API_SECRET/);
    expect(e.message).not.toContain('not-a-pem-secret-value');
  });

  it('too little USD is INSUFFICIENT_FUNDS, and nothing was created', async () => {
    const { venue } = await setup({ balances: { USD: '10' } });
    const e = await fails(venue.placeOrder({ clientOrderId: 'poor', pair: 'BTCUSD', side: 'buy', type: 'market', units: '1' }));
    expect(e).toMatchObject({ code: 'INSUFFICIENT_FUNDS', details: { reason: 'INSUFFICIENT_FUND' } });
    expect(await venue.getOrderByClientId('poor')).toBeNull();
  });

  it('cannot sell what it does not hold (spot: no shorts)', async () => {
    const { venue } = await setup();
    expect(venue.capabilities.short).toBe(false);
    expect((await fails(venue.placeOrder({ clientOrderId: 'short', pair: 'BTCUSD', side: 'sell', type: 'market', units: '0.1' }))).code).toBe('INSUFFICIENT_FUNDS');
  });
});

describe('CoinbaseVenue: holdings as positions', () => {
  it('a holding bought at two prices has its average cost as entry and is marked at the product price', async () => {
    const { fake, venue } = await setup();
    await venue.placeOrder({ clientOrderId: 'a', pair: 'BTCUSD', side: 'buy', type: 'market', units: '0.01' });
    fake.setPrice('BTC-USD', 44000);
    await venue.placeOrder({ clientOrderId: 'b', pair: 'BTCUSD', side: 'buy', type: 'market', units: '0.01' });
    const [p] = await venue.positions();
    expect(p).toMatchObject({ id: 'BTCUSD', side: 'long', units: '0.02', entryPrice: '42000', markPrice: '44000', unrealizedPnl: '40' });
    // 100000 − 400 − 2.4 − 440 − 2.64 = 99154.96 USD, plus 0.02 BTC at 44000
    expect(await venue.equity()).toEqual({ currency: 'USD', value: '100034.96' });
  });

  it('fills carry the client order id and the fee in the quote currency, oldest first, filtered by time', async () => {
    const { venue } = await setup();
    await venue.placeOrder({ clientOrderId: 'f1', pair: 'BTCUSD', side: 'buy', type: 'market', units: '0.01' });
    await new Promise((r) => setTimeout(r, 5));
    const mid = Date.now();
    await venue.placeOrder({ clientOrderId: 'f2', pair: 'BTCUSD', side: 'sell', type: 'market', units: '0.01' });
    const all = await venue.fills();
    expect(all.map((f) => [f.clientOrderId, f.side, f.fee, f.feeCurrency])).toEqual([
      ['f1', 'buy', '2.4', 'USD'],
      ['f2', 'sell', '2.4', 'USD'],
    ]);
    expect((await venue.fills(mid)).map((f) => f.clientOrderId)).toEqual(['f2']);
  });

  it('a resting limit fills when the price trades through it', async () => {
    const { fake, venue } = await setup();
    const o = await venue.placeOrder({ clientOrderId: 'lim', pair: 'BTCUSD', side: 'buy', type: 'limit', units: '0.1', limitPrice: '39000' });
    expect((await venue.balances()).find((b) => b.currency === 'USD')).toEqual({ currency: 'USD', total: '100000', available: '96084.4' });
    fake.setPrice('BTC-USD', 38900);
    expect(await venue.getOrderByClientId('lim')).toMatchObject({ venueOrderId: o.venueOrderId, status: 'filled', averagePrice: '39000' });
    expect(await venue.openOrders()).toEqual([]);
  });
});

describe('the fake as its own process (for kill tests)', () => {
  it('runs from launch-fake.mjs, verifies the JWTs and keeps its book across a restart', async () => {
    const { spawnFake } = await import('../../../test/fakes/spawn-fake.js');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const opts = { privateKeyPem: PEM, statePath: join(mkdtempSync(join(tmpdir(), 'ffe-cb-proc-')), 'coinbase.json') };
    const first = await spawnFake('coinbase', opts);
    const placed = await new CoinbaseVenue({ apiKey: FAKE_COINBASE_KEY_NAME, apiSecret: PEM, sandbox: true, baseUrl: first.url }).placeOrder({
      clientOrderId: 'proc-cb',
      pair: 'BTCUSD',
      side: 'buy',
      type: 'market',
      units: '0.01',
    });
    first.child.kill('SIGKILL');
    await first.stop();
    const second = await spawnFake('coinbase', opts);
    try {
      const v = new CoinbaseVenue({ apiKey: FAKE_COINBASE_KEY_NAME, apiSecret: PEM, sandbox: true, baseUrl: second.url });
      expect((await v.getOrderByClientId('proc-cb'))?.venueOrderId).toBe(placed.venueOrderId);
      expect((await v.positions())[0]).toMatchObject({ pair: 'BTCUSD', units: '0.01' });
    } finally {
      await second.stop();
    }
  });
});
