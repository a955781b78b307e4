import { afterEach, describe, expect, it } from 'vitest';
import { FfeError } from '../../core/errors.js';
import { openPaperVenue } from '../../../test/fakes/paper-venue.js';
import { startFakeOanda, type FakeOanda } from '../../../test/fakes/oanda-server.js';
import { OandaVenue } from '../oanda/venue.js';
import { UnifiedVenue } from './venue.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

async function setup() {
  const oanda: FakeOanda = await startFakeOanda({ token: 'u-token', balance: '1000' });
  const paper = await openPaperVenue({ prices: { SPY: 400, BTCUSD: 100 } });
  cleanup.push(oanda.close, paper.close);
  const fx = new OandaVenue({ token: 'u-token', accountId: oanda.state.accountId, environment: 'practice', baseUrl: oanda.url });
  const venue = new UnifiedVenue({ crypto: paper.venue, forex: fx, stock: paper.venue });
  return { oanda, paper, venue };
}

describe('UnifiedVenue', () => {
  it('routes by asset class: forex to Oanda, stocks and crypto to paper', async () => {
    const { oanda, venue } = await setup();
    const fx = await venue.placeOrder({ clientOrderId: 'u-fx', pair: 'EURUSD', side: 'buy', type: 'market', units: '100' });
    const st = await venue.placeOrder({ clientOrderId: 'u-st', pair: 'SPY', side: 'buy', type: 'market', units: '2' });
    expect(fx.venueOrderId).toMatch(/^oanda:\d+$/);
    expect(st.venueOrderId).toMatch(/^paper:/);
    expect(oanda.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(venue.venueFor('BTCUSD').name).toBe('paper');
  });

  it('gathers positions with venue-prefixed ids, and closes each on its own venue', async () => {
    const { venue } = await setup();
    await venue.placeOrder({ clientOrderId: 'a', pair: 'EURUSD', side: 'buy', type: 'market', units: '100' });
    await venue.placeOrder({ clientOrderId: 'b', pair: 'SPY', side: 'buy', type: 'market', units: '1' });
    const ids = (await venue.positions()).map((p) => [p.id, p.venue]);
    expect(ids).toEqual([
      ['paper:SPY', 'paper'],
      ['oanda:EURUSD', 'oanda'],
    ]);
    const c = await venue.closePosition('oanda:EURUSD', 'close-fx');
    expect(c).toMatchObject({ venueOrderId: expect.stringMatching(/^oanda:/), side: 'sell', status: 'filled' });
    expect((await venue.positions()).map((p) => p.id)).toEqual(['paper:SPY']);
    expect((await venue.getOrderByClientId('close-fx'))?.venueOrderId).toBe(c.venueOrderId);
  });

  it('sums balances and equity per currency, and lists fills from both, oldest first', async () => {
    const { venue, paper } = await setup();
    await venue.placeOrder({ clientOrderId: 'f1', pair: 'SPY', side: 'buy', type: 'market', units: '1' });
    paper.clock.set(Date.now() + 60_000);
    await venue.placeOrder({ clientOrderId: 'f2', pair: 'EURUSD', side: 'buy', type: 'market', units: '100' });
    const [usd] = await venue.balances();
    // paper 10000 − 0.4 fee; oanda 1000
    expect(usd).toMatchObject({ currency: 'USD', total: '10999.6' });
    expect((await venue.balancesByVenue()).oanda[0].total).toBe('1000');
    const fills = await venue.fills();
    expect(fills.map((f) => f.clientOrderId).sort()).toEqual(['f1', 'f2']);
    expect(fills.every((f, i) => i === 0 || fills[i - 1].timestamp <= f.timestamp)).toBe(true);
    expect(fills.find((f) => f.clientOrderId === 'f2')!.venueOrderId).toMatch(/^oanda:/);
    expect(Number((await venue.equity()).value)).toBeCloseTo(10999.6 - 100 * 1.1 * 0.0001, 4);
  });

  it('cancels by prefixed id and refuses ids of no venue', async () => {
    const { venue } = await setup();
    const o = await venue.placeOrder({ clientOrderId: 'lim', pair: 'EURUSD', side: 'buy', type: 'limit', units: '100', limitPrice: '1' });
    expect((await venue.openOrders()).map((x) => x.venueOrderId)).toEqual([o.venueOrderId]);
    expect((await venue.cancelOrder(o.venueOrderId)).status).toBe('cancelled');
    const e = await venue.cancelOrder('kraken:1').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FfeError);
    expect((e as FfeError).code).toBe('ORDER_NOT_FOUND');
  });

  it('takes the capabilities every routed venue has', async () => {
    const { venue } = await setup();
    expect(venue.capabilities).toMatchObject({ attachedStops: true, short: true, simulated: false, assetClasses: ['crypto', 'forex', 'stock'] });
  });
});
