import { afterEach, describe, expect, it } from 'vitest';
import { openPaperVenue } from '../../test/fakes/paper-venue.js';
import type { AccountSnapshot } from './account.js';
import { buildDashboard } from './dashboard.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

/** A paper account (10,000 USD, 0.1 % fee) with the given market orders filled at BTCUSD 40,000 and ETHUSD 2,000. */
async function account(orders: { pair: string; side: 'buy' | 'sell'; units: string }[]): Promise<AccountSnapshot> {
  const p = await openPaperVenue({ prices: { BTCUSD: 40_000, ETHUSD: 2_000 } });
  open.push(p);
  let k = 0;
  for (const o of orders) await p.venue.placeOrder({ clientOrderId: `dash-${k++}`, type: 'market', ...o });
  const eq = await p.venue.equity();
  return { mode: 'paper', modeNote: 'PAPER', venue: 'paper', at: p.clock.now(), currency: eq.currency, equity: eq.value, balances: await p.venue.balances(), positions: await p.venue.positions() };
}

describe('buildDashboard', () => {
  it('shows a real paper short as negative units, negative value and a negative share; cash holds the sale proceeds; the shares add up to 1', async () => {
    const s = await account([{ pair: 'BTCUSD', side: 'sell', units: '0.05' }]);
    expect(s.positions).toMatchObject([{ pair: 'BTCUSD', side: 'short' }]);
    const d = buildDashboard(s);
    const btc = d.holdings.find((h) => h.asset === 'BTC')!;
    expect(btc.side).toBe('short');
    expect(btc.units).toBeCloseTo(-0.05, 10);
    expect(btc.value).toBeCloseTo(-2_000, 6);
    const cash = d.holdings.find((h) => h.side === 'cash')!;
    expect(cash.value).toBeCloseTo(d.totalValue + 2_000, 6);
    expect(d.totalValue).toBeCloseTo(10_000 - 2, 6); // the 0.1 % fee on 2,000
    const share = d.byAsset.find((a) => a.name === 'BTC')!;
    expect(share.fraction).toBeCloseTo(-2_000 / d.totalValue, 9);
    expect(d.byAsset.reduce((a, x) => a + x.fraction, 0)).toBeCloseTo(1, 9);
    expect(d.byVenue).toEqual([{ name: 'paper', value: d.totalValue, fraction: 1 }]);
    expect(d.exposure.net).toBeCloseTo(-2_000, 6);
    expect(d.exposure.gross).toBeCloseTo(2_000, 6);
    expect(d.exposure.netFraction).toBeCloseTo(-2_000 / d.totalValue, 9);
  });

  it('nets a long against a short: net exposure is their difference, gross their sum', async () => {
    const d = buildDashboard(
      await account([
        { pair: 'BTCUSD', side: 'sell', units: '0.05' },
        { pair: 'ETHUSD', side: 'buy', units: '1.5' },
      ]),
    );
    expect(d.holdings.find((h) => h.asset === 'ETH')).toMatchObject({ side: 'long', units: 1.5, value: 3_000 });
    expect(d.exposure.net).toBeCloseTo(1_000, 6);
    expect(d.exposure.gross).toBeCloseTo(5_000, 6);
    expect(d.byAsset.map((a) => a.name)).toEqual(['USD', 'ETH', 'BTC']);
  });

  it('a flat account is all cash', async () => {
    const d = buildDashboard(await account([]));
    expect(d.holdings).toMatchObject([{ side: 'cash', asset: 'USD', value: 10_000 }]);
    expect(d.exposure).toEqual({ net: 0, gross: 0, netFraction: 0, grossFraction: 0 });
  });
});
