import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FfeError } from '../../core/errors.js';
import { startFakeOanda, type FakeOanda, type FakeOandaOptions } from '../../../test/fakes/oanda-server.js';
import { OandaClient } from './client.js';
import { OandaVenue } from './venue.js';

const TOKEN = 'tok-oanda-unit-91c2';
const fakes: FakeOanda[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});
async function setup(opts: FakeOandaOptions = {}) {
  const fake = await startFakeOanda({ token: TOKEN, ...opts });
  fakes.push(fake);
  const venue = new OandaVenue({ token: TOKEN, accountId: fake.state.accountId, environment: 'practice', baseUrl: fake.url, timeoutMs: 1000 });
  const posts = () => fake.requests.filter((r) => r.method !== 'GET');
  return { fake, venue, posts };
}
const fails = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(FfeError);
  return e as FfeError;
};

describe('OandaVenue: wire format recorded by the fake', () => {
  it('sends a market buy as a signed MARKET order with clientExtensions and on-fill stop-loss / take-profit', async () => {
    const { fake, venue, posts } = await setup();
    const o = await venue.placeOrder({ clientOrderId: 'd-1', pair: 'EURUSD', side: 'buy', type: 'market', units: '1000', stopLossPrice: '1.05', takeProfitPrice: '1.2' });
    expect(o).toMatchObject({ clientOrderId: 'd-1', pair: 'EURUSD', side: 'buy', status: 'filled', filledUnits: '1000', averagePrice: '1.100055' });
    const [post] = posts();
    expect(post.path).toBe(`/v3/accounts/${fake.state.accountId}/orders`);
    expect(post.body).toEqual({
      order: {
        type: 'MARKET',
        instrument: 'EUR_USD',
        units: '1000',
        timeInForce: 'FOK',
        positionFill: 'DEFAULT',
        clientExtensions: { id: 'd-1' },
        stopLossOnFill: { price: '1.05', timeInForce: 'GTC' },
        takeProfitOnFill: { price: '1.2', timeInForce: 'GTC' },
      },
    });
    expect(post.authorized).toBe(true);
    expect(post.headers['accept-datetime-format']).toBe('RFC3339');
    expect(JSON.stringify(fake.requests)).not.toContain(TOKEN);
    // Looked up by client id first: GET …/orders/@d-1.
    expect(fake.requests[0]).toMatchObject({ method: 'GET', path: `/v3/accounts/${fake.state.accountId}/orders/@d-1` });
  });

  it('sends a sell with negative units and a limit as LIMIT/GTC with its price', async () => {
    const { venue, posts } = await setup();
    await venue.placeOrder({ clientOrderId: 's-1', pair: 'GBPUSD', side: 'sell', type: 'market', units: '500' });
    const lim = await venue.placeOrder({ clientOrderId: 'l-1', pair: 'EURUSD', side: 'sell', type: 'limit', units: '200', limitPrice: '1.2' });
    expect(lim).toMatchObject({ status: 'open', type: 'limit', side: 'sell', limitPrice: '1.2', units: '200' });
    expect((posts()[0].body as { order: { units: string } }).order.units).toBe('-500');
    expect((posts()[1].body as { order: Record<string, string> }).order).toMatchObject({ type: 'LIMIT', price: '1.2', timeInForce: 'GTC', units: '-200' });
  });

  it('closes a long with longUnits ALL and the client order id in longClientExtensions', async () => {
    const { fake, venue, posts } = await setup();
    await venue.placeOrder({ clientOrderId: 'o-1', pair: 'EURUSD', side: 'buy', type: 'market', units: '1000' });
    const c = await venue.closePosition('EURUSD', 'c-1');
    expect(c).toMatchObject({ clientOrderId: 'c-1', side: 'sell', status: 'filled', filledUnits: '1000' });
    const put = posts().find((r) => r.method === 'PUT')!;
    expect(put.path).toBe(`/v3/accounts/${fake.state.accountId}/positions/EUR_USD/close`);
    expect(put.body).toEqual({ longUnits: 'ALL', longClientExtensions: { id: 'c-1' } });
    expect(await venue.positions()).toEqual([]);
  });

  it('picks the practice or live host by environment', () => {
    expect(new OandaClient({ token: 't', accountId: 'a', environment: 'practice' }).baseUrl).toBe('https://api-fxpractice.oanda.com');
    expect(new OandaClient({ token: 't', accountId: 'a', environment: 'live' }).baseUrl).toBe('https://api-fxtrade.oanda.com');
    expect(() => new OandaClient({ token: '', accountId: 'a', environment: 'live' })).toThrow(/OANDA_API_KEY/);
  });
});

describe('OandaVenue: idempotency and refusals', () => {
  it('does not show its token when serialised or inspected (as a logger would)', async () => {
    const { venue } = await setup();
    const { inspect } = await import('node:util');
    expect(JSON.stringify(venue)).not.toContain(TOKEN);
    expect(inspect(venue, { depth: 10 })).not.toContain(TOKEN);
  });

  it('does not place twice a client id whose order already filled (v20 only refuses ids of pending orders)', async () => {
    const { venue, posts } = await setup({ duplicateClientIds: 'reject-pending' });
    const a = await venue.placeOrder({ clientOrderId: 'once', pair: 'EURUSD', side: 'buy', type: 'market', units: '1000' });
    const b = await venue.placeOrder({ clientOrderId: 'once', pair: 'EURUSD', side: 'buy', type: 'market', units: '1000' });
    expect(b.venueOrderId).toBe(a.venueOrderId);
    expect(posts()).toHaveLength(1);
  });

  it('turns CLIENT_ORDER_ID_ALREADY_EXISTS into a clear duplicate error when the holder cannot be read yet', async () => {
    const { venue, posts } = await setup({ lookupLagMs: 60_000 });
    await venue.placeOrder({ clientOrderId: 'dup', pair: 'EURUSD', side: 'buy', type: 'limit', units: '100', limitPrice: '1' });
    const e = await fails(venue.placeOrder({ clientOrderId: 'dup', pair: 'EURUSD', side: 'buy', type: 'limit', units: '100', limitPrice: '1' }));
    expect(e).toMatchObject({ kind: 'venue', code: 'VENUE_REJECTED', details: { reason: 'CLIENT_ORDER_ID_ALREADY_EXISTS' } });
    expect(e.message).toMatch(/already assigned/);
    expect(posts()).toHaveLength(2);
  });

  it('returns the holder of a refused duplicate id once it can be read', async () => {
    const { fake, venue } = await setup({ lookupLagMs: 150 });
    const a = await venue.placeOrder({ clientOrderId: 'dup2', pair: 'EURUSD', side: 'buy', type: 'limit', units: '100', limitPrice: '1' });
    const slowLookups = fake.requests.length;
    await new Promise((r) => setTimeout(r, 200));
    const b = await venue.placeOrder({ clientOrderId: 'dup2', pair: 'EURUSD', side: 'buy', type: 'limit', units: '100', limitPrice: '1' });
    expect(b.venueOrderId).toBe(a.venueOrderId);
    expect(fake.requests.length).toBeGreaterThan(slowLookups);
  });

  it('maps a margin cancel to INSUFFICIENT_FUNDS, and the cancelled order stays findable', async () => {
    const { venue } = await setup({ balance: '100' });
    const e = await fails(venue.placeOrder({ clientOrderId: 'huge', pair: 'EURUSD', side: 'buy', type: 'market', units: '1000000' }));
    expect(e).toMatchObject({ code: 'INSUFFICIENT_FUNDS', details: { reason: 'INSUFFICIENT_MARGIN' } });
    expect(await venue.getOrderByClientId('huge')).toMatchObject({ status: 'cancelled', reason: 'INSUFFICIENT_MARGIN' });
  });

  it('refuses fractional units as the venue does (UNITS_PRECISION_EXCEEDED)', async () => {
    const { venue } = await setup();
    const e = await fails(venue.placeOrder({ clientOrderId: 'frac', pair: 'EURUSD', side: 'buy', type: 'market', units: '10.5' }));
    expect(e).toMatchObject({ code: 'VENUE_REJECTED', details: { reason: 'UNITS_PRECISION_EXCEEDED' } });
  });

  it('does not trade pairs that are not forex', async () => {
    const { venue, posts } = await setup();
    expect((await fails(venue.placeOrder({ clientOrderId: 'btc', pair: 'BTCUSD', side: 'buy', type: 'market', units: '1' }))).code).toBe('VENUE_UNSUPPORTED');
    expect(posts()).toHaveLength(0);
  });
});

describe('OandaVenue: positions, fills, persistence', () => {
  it('shows the attached stop-loss on the position, and a price through it closes the trade at the stop', async () => {
    const { fake, venue } = await setup();
    await venue.placeOrder({ clientOrderId: 'p-1', pair: 'EURUSD', side: 'buy', type: 'market', units: '1000', stopLossPrice: '1.08' });
    expect((await venue.positions())[0]).toMatchObject({ id: 'EURUSD', side: 'long', units: '1000', stopLossPrice: '1.08', takeProfitPrice: null });
    fake.setPrice('EUR_USD', 1.07);
    expect(await venue.positions()).toEqual([]);
    const fills = await venue.fills();
    expect(fills.map((f) => [f.side, f.units, f.price, f.exit ?? null])).toEqual([
      ['buy', '1000', '1.100055', null],
      ['sell', '1000', '1.08', 'stop-loss'],
    ]);
    // (1.08 − 1.100055) · 1000
    expect((await venue.balances())[0].total).toBe('99979.945');
  });

  it('lists fills since a time, oldest first, following the transaction pages', async () => {
    const { venue } = await setup();
    await venue.placeOrder({ clientOrderId: 'f-1', pair: 'EURUSD', side: 'buy', type: 'market', units: '100' });
    await new Promise((r) => setTimeout(r, 5));
    const mid = Date.now();
    await venue.placeOrder({ clientOrderId: 'f-2', pair: 'EURUSD', side: 'buy', type: 'market', units: '200' });
    expect((await venue.fills()).map((f) => f.clientOrderId)).toEqual(['f-1', 'f-2']);
    expect((await venue.fills(mid)).map((f) => f.clientOrderId)).toEqual(['f-2']);
  });

  it('the fake keeps its book in statePath across a restart', async () => {
    const statePath = join(mkdtempSync(join(tmpdir(), 'ffe-oanda-')), 'oanda.json');
    const first = await startFakeOanda({ token: TOKEN, statePath });
    const v1 = new OandaVenue({ token: TOKEN, accountId: first.state.accountId, environment: 'practice', baseUrl: first.url });
    const placed = await v1.placeOrder({ clientOrderId: 'keep', pair: 'EURUSD', side: 'buy', type: 'market', units: '100' });
    await first.close();
    const { venue } = await setup({ statePath });
    expect((await venue.getOrderByClientId('keep'))?.venueOrderId).toBe(placed.venueOrderId);
  });
});

describe('the fake as its own process (for kill tests)', () => {
  it('runs from launch-fake.mjs and keeps its book when that process is killed and restarted', async () => {
    const { spawnFake } = await import('../../../test/fakes/spawn-fake.js');
    const statePath = join(mkdtempSync(join(tmpdir(), 'ffe-oanda-proc-')), 'oanda.json');
    const opts = { token: TOKEN, accountId: '101-004-7654321-001', statePath };
    const first = await spawnFake('oanda', opts);
    const v1 = new OandaVenue({ token: TOKEN, accountId: opts.accountId, environment: 'practice', baseUrl: first.url });
    const placed = await v1.placeOrder({ clientOrderId: 'proc-1', pair: 'EURUSD', side: 'buy', type: 'market', units: '100' });
    first.child.kill('SIGKILL');
    await first.stop();
    const second = await spawnFake('oanda', opts);
    try {
      const v2 = new OandaVenue({ token: TOKEN, accountId: opts.accountId, environment: 'practice', baseUrl: second.url });
      expect((await v2.getOrderByClientId('proc-1'))?.venueOrderId).toBe(placed.venueOrderId);
      expect((await v2.positions())[0]).toMatchObject({ pair: 'EURUSD', units: '100' });
    } finally {
      await second.stop();
    }
  });
});
