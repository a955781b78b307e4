import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FfeError } from '../../core/errors.js';
import type { FillModel } from '../../backtest/fill-model.js';
import { SimVenue } from '../../backtest/sim-venue.js';
import { openPaperVenue } from '../../../test/fakes/paper-venue.js';

type Opened = Awaited<ReturnType<typeof openPaperVenue>>;
const opened: Opened[] = [];
async function open(...args: Parameters<typeof openPaperVenue>) {
  const o = await openPaperVenue(...args);
  opened.push(o);
  return o;
}
afterEach(async () => {
  for (const o of opened.splice(0)) await o.close();
});

const market = (clientOrderId: string, side: 'buy' | 'sell', units: string, pair = 'BTCUSD', extra = {}) => ({
  clientOrderId,
  pair,
  side,
  type: 'market' as const,
  units,
  ...extra,
});

async function rejection(p: Promise<unknown>): Promise<FfeError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(FfeError);
  return e as FfeError;
}

describe('PaperVenue: money computed by hand', () => {
  it('long round trip with 0.1 % fee and 0.1 % slippage', async () => {
    const { venue, prices } = await open({ settings: { slippageRate: 0.001 } });
    const buy = await venue.placeOrder(market('l-1', 'buy', '2'));
    // 100 · 1.001 = 100.1; fee 2 · 100.1 · 0.001 = 0.2002
    expect(buy).toMatchObject({ status: 'filled', filledUnits: '2', averagePrice: '100.1', fees: '0.2002' });
    prices.set('BTCUSD', 110);
    const sell = await venue.placeOrder(market('l-2', 'sell', '2'));
    // 110 · 0.999 = 109.89; fee 2 · 109.89 · 0.001 = 0.21978
    expect(sell).toMatchObject({ averagePrice: '109.89', fees: '0.21978' });
    // (109.89 − 100.1) · 2 − 0.2002 − 0.21978 = 19.16002
    const s = await venue.summary();
    expect(s.realizedPnl).toBe('19.16002');
    expect(s.cash).toBe('10019.16002');
    expect(s.equity).toBe('10019.16002');
    expect(await venue.positions()).toEqual([]);
    expect((await venue.balances())[0]).toEqual({ currency: 'USD', total: '10019.16002', available: '10019.16002' });
  });

  it('short round trip: sell 4 at 25, cover at 20, fee 0.1 %', async () => {
    const { venue, prices } = await open({ prices: { ETHUSD: 25 } });
    await venue.placeOrder(market('s-1', 'sell', '4', 'ETHUSD'));
    const [p] = await venue.positions();
    expect(p).toMatchObject({ id: 'ETHUSD', side: 'short', units: '4', entryPrice: '25', unrealizedPnl: '0' });
    prices.set('ETHUSD', 20);
    expect((await venue.positions())[0].unrealizedPnl).toBe('20');
    await venue.placeOrder(market('s-2', 'buy', '4', 'ETHUSD'));
    // gross (25 − 20) · 4 = 20; fees 0.1 + 0.08
    expect((await venue.summary()).realizedPnl).toBe('19.82');
    expect((await venue.equity()).value).toBe('10019.82');
  });

  it('sums fills of 0.1 and 0.2 without drift and keeps cash exact', async () => {
    const { venue } = await open({ prices: { BTCUSD: 0.3 } });
    await venue.placeOrder(market('d-1', 'buy', '0.1'));
    await venue.placeOrder(market('d-2', 'buy', '0.2'));
    const [p] = await venue.positions();
    expect(p.units).toBe('0.3');
    expect(p.entryPrice).toBe('0.3');
    // fees 0.1·0.3·0.001 + 0.2·0.3·0.001 = 0.00003 + 0.00006
    expect((await venue.summary()).cash).toBe('9999.99991');
  });

  it('equity is cash plus unrealised P&L at the current mark', async () => {
    const { venue, prices } = await open();
    await venue.placeOrder(market('e-1', 'buy', '10'));
    prices.set('BTCUSD', 120);
    // cash 10000 − fee 1; unrealised (120 − 100) · 10
    expect((await venue.equity()).value).toBe('10199');
    const [b] = await venue.balances();
    expect(b).toEqual({ currency: 'USD', total: '9999', available: '9199' });
  });
});

describe('PaperVenue: orders', () => {
  it('is idempotent on clientOrderId: a repeat returns the first order and trades nothing', async () => {
    const { venue } = await open();
    const a = await venue.placeOrder(market('same', 'buy', '1'));
    const b = await venue.placeOrder(market('same', 'buy', '1'));
    expect(b.venueOrderId).toBe(a.venueOrderId);
    expect((await venue.positions())[0].units).toBe('1');
    expect(await venue.fills()).toHaveLength(1);
  });

  it('two processes on one database place a client order id once', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ffe-paper-')), 'paper.db');
    const one = await open({ path });
    const two = await open({ path });
    const [a, b] = await Promise.all([one.venue.placeOrder(market('race', 'buy', '1')), two.venue.placeOrder(market('race', 'buy', '1'))]);
    expect(a.venueOrderId).toBe(b.venueOrderId);
    expect(await one.venue.fills()).toHaveLength(1);
  });

  it('keeps the account across a restart', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ffe-paper-')), 'paper.db');
    const first = await openPaperVenue({ path });
    await first.venue.placeOrder(market('p-1', 'buy', '3'));
    await first.close();
    const again = await open({ path, settings: { initialBalance: 5 } });
    expect((await again.venue.positions())[0].units).toBe('3');
    expect((await again.venue.summary()).initialCash).toBe('10000');
    expect((await again.venue.getOrderByClientId('p-1'))?.status).toBe('filled');
  });

  it('refuses an unaffordable order with INSUFFICIENT_FUNDS and records it as rejected', async () => {
    const { venue } = await open();
    const e = await rejection(venue.placeOrder(market('big', 'buy', '100')));
    expect(e.kind).toBe('venue');
    expect(e.code).toBe('INSUFFICIENT_FUNDS');
    expect(e.message).toMatch(/needs 10010 USD, 10000 available/);
    expect(await venue.getOrderByClientId('big')).toMatchObject({ status: 'rejected', filledUnits: '0' });
    expect((await venue.placeOrder(market('big', 'buy', '100'))).status).toBe('rejected');
    expect(await venue.positions()).toEqual([]);
  });

  it('shorts crypto and forex, but stocks only when allowed', async () => {
    const { venue } = await open();
    expect(await rejection(venue.placeOrder(market('spy', 'sell', '1', 'SPY')))).toMatchObject({ code: 'VENUE_REJECTED', details: { reason: 'SHORT_NOT_ALLOWED' } });
    await venue.placeOrder(market('eur', 'sell', '1000', 'EURUSD'));
    const allowed = await open({ settings: { allowShortStocks: true } });
    expect((await allowed.venue.placeOrder(market('spy', 'sell', '1', 'SPY'))).status).toBe('filled');
  });

  it('refuses pairs not quoted in the account currency', async () => {
    const { venue } = await open({ prices: { EURGBP: 0.85 } });
    expect(await rejection(venue.placeOrder(market('x', 'buy', '1', 'EURGBP')))).toMatchObject({ code: 'VENUE_UNSUPPORTED' });
  });

  it('a reduce-only order may not exceed the position', async () => {
    const { venue } = await open();
    await venue.placeOrder(market('r-1', 'buy', '1'));
    const e = await rejection(venue.placeOrder(market('r-2', 'sell', '2', 'BTCUSD', { reduceOnly: true })));
    expect(e.details?.reason).toBe('REDUCE_ONLY');
    expect((await venue.positions())[0].units).toBe('1');
  });

  it('rests a limit order, fills it at its limit when a bar trades through, and leaves it when not', async () => {
    const { venue } = await open();
    const o = await venue.placeOrder({ clientOrderId: 'lim', pair: 'BTCUSD', side: 'buy', type: 'limit', units: '1', limitPrice: '90' });
    expect(o.status).toBe('open');
    expect(await venue.onPrice('BTCUSD', { high: 99, low: 90.01, close: 95, timestamp: 1 })).toEqual([]);
    const [f] = await venue.onPrice('BTCUSD', { high: 95, low: 89, close: 92, timestamp: 2 });
    expect(f).toMatchObject({ clientOrderId: 'lim', status: 'filled', averagePrice: '90', fees: '0.09' });
    expect((await venue.fills())[0].timestamp).toBe(2);
    expect(await venue.openOrders()).toEqual([]);
  });

  it('holds back only the part of a resting limit that would open exposure', async () => {
    const { venue } = await open();
    await venue.placeOrder(market('h-1', 'buy', '10'));
    // Sell 15 at 200 against a long of 10: 10 reduce, 5 would open a short (5 · 200 reserved).
    await venue.placeOrder({ clientOrderId: 'h-2', pair: 'BTCUSD', side: 'sell', type: 'limit', units: '15', limitPrice: '200' });
    // Buy 2 at 90 adds to the long (2 · 90 reserved).
    await venue.placeOrder({ clientOrderId: 'h-3', pair: 'BTCUSD', side: 'buy', type: 'limit', units: '2', limitPrice: '90' });
    // cash 10000 − fee 1; used 10 · 100; reserved 1000 + 180
    expect((await venue.balances())[0]).toEqual({ currency: 'USD', total: '9999', available: '7819' });
  });

  it('fills a marketable limit at once, never worse than the limit', async () => {
    const { venue } = await open({ settings: { slippageRate: 0.01 } });
    const o = await venue.placeOrder({ clientOrderId: 'ml', pair: 'BTCUSD', side: 'buy', type: 'limit', units: '1', limitPrice: '100.5' });
    expect(o).toMatchObject({ status: 'filled', averagePrice: '100.5' });
  });

  it('rejects protective prices on the wrong side of the entry', async () => {
    const { venue } = await open();
    const e = await rejection(venue.placeOrder(market('bad', 'buy', '1', 'BTCUSD', { stopLossPrice: '101' })));
    expect(e.details?.reason).toBe('STOP_LOSS_INVALID');
    expect(await venue.getOrderByClientId('bad')).toBeNull();
  });
});

describe('PaperVenue: attached stop-loss / take-profit', () => {
  it('a bar reaching both stop and target closes a long at the stop', async () => {
    const { venue } = await open();
    await venue.placeOrder(market('b', 'buy', '1', 'BTCUSD', { stopLossPrice: '95', takeProfitPrice: '110' }));
    expect((await venue.positions())[0]).toMatchObject({ stopLossPrice: '95', takeProfitPrice: '110' });
    const [exit] = await venue.onPrice('BTCUSD', { high: 111, low: 94, close: 100, timestamp: 5 });
    expect(exit).toMatchObject({ side: 'sell', averagePrice: '95', reason: 'stop-loss' });
    expect(await venue.positions()).toEqual([]);
    // −5 gross, fees 0.1 + 0.095
    expect((await venue.summary()).realizedPnl).toBe('-5.195');
  });

  it("advance: a held pair's bar reaching neither stop nor target commits nothing of its own, and the book reads as onPrice leaves it", async () => {
    const fed = await open();
    const priced = await open();
    let commits = 0;
    const raw = fed.store.sqlite.raw;
    const commit = raw.prepare.bind(raw);
    // Counts the transactions the fed venue begins (BEGIN IMMEDIATE, prepared once per connection) after the entry.
    raw.prepare = ((sql: string) => {
      const st = commit(sql);
      if (sql !== 'BEGIN IMMEDIATE') return st;
      const run = st.run.bind(st);
      return Object.assign(st, { run: (...a: unknown[]) => (commits++, run(...a)) });
    }) as typeof raw.prepare;
    for (const { venue } of [fed, priced]) await venue.placeOrder(market('b', 'buy', '1', 'BTCUSD', { stopLossPrice: '95', takeProfitPrice: '110' }));
    commits = 0;
    const quiet = [
      { open: 100, high: 104, low: 96, close: 103, timestamp: 5 },
      { open: 103, high: 109, low: 101, close: 108, timestamp: 6 },
    ];
    for (const bar of quiet) {
      expect(await fed.venue.advance('BTCUSD', bar)).toEqual([]);
      expect(await priced.venue.onPrice('BTCUSD', bar)).toEqual([]);
      expect(await fed.venue.positions()).toEqual(await priced.venue.positions());
    }
    expect(commits).toBe(0);
    // A bar that reaches the target is applied in a transaction, after the marks that waited.
    const target = { open: 108, high: 111, low: 107, close: 110.5, timestamp: 7 };
    const [exit] = await fed.venue.advance('BTCUSD', target);
    expect(exit).toMatchObject({ averagePrice: '110', reason: 'take-profit' });
    expect(commits).toBe(1);
    await priced.venue.onPrice('BTCUSD', target);
    expect(await fed.venue.summary()).toEqual(await priced.venue.summary());
  });

  it('a long reaching only its target closes at the target', async () => {
    const { venue } = await open();
    await venue.placeOrder(market('b', 'buy', '1', 'BTCUSD', { stopLossPrice: '95', takeProfitPrice: '110' }));
    const [exit] = await venue.onPrice('BTCUSD', { high: 112, low: 99, close: 111, timestamp: 5 });
    expect(exit).toMatchObject({ averagePrice: '110', reason: 'take-profit' });
  });

  it('a short stop triggers on the high, with slippage against the trader', async () => {
    const { venue } = await open({ settings: { slippageRate: 0.01 }, prices: { ETHUSD: 100 } });
    await venue.placeOrder(market('s', 'sell', '1', 'ETHUSD', { stopLossPrice: '105', takeProfitPrice: '90' }));
    const [exit] = await venue.onPrice('ETHUSD', { high: 106, low: 95, close: 104, timestamp: 5 });
    expect(exit).toMatchObject({ side: 'buy', averagePrice: '106.05' });
  });

  it('one fill rule with the backtest: a long stop gapped through fills at the open (slipped), not at the stop', async () => {
    const { venue } = await open({ settings: { slippageRate: 0.01 } });
    await venue.placeOrder(market('b', 'buy', '1', 'BTCUSD', { stopLossPrice: '95', takeProfitPrice: '110' }));
    const [exit] = await venue.onPrice('BTCUSD', { open: 90, high: 92, low: 88, close: 91, timestamp: 5 });
    expect(exit).toMatchObject({ side: 'sell', averagePrice: '89.1', reason: 'stop-loss' });
  });

  it('a target gapped through fills at the better open; a resting limit opened beyond fills at the open', async () => {
    const { venue } = await open();
    await venue.placeOrder(market('b', 'buy', '1', 'BTCUSD', { stopLossPrice: '95', takeProfitPrice: '110' }));
    const [exit] = await venue.onPrice('BTCUSD', { open: 115, high: 116, low: 112, close: 114, timestamp: 5 });
    expect(exit).toMatchObject({ averagePrice: '115', reason: 'take-profit' });
    await venue.placeOrder({ clientOrderId: 'lim', pair: 'BTCUSD', side: 'buy', type: 'limit', units: '1', limitPrice: '90' });
    const [f] = await venue.onPrice('BTCUSD', { open: 87, high: 91, low: 86, close: 90, timestamp: 6 });
    expect(f).toMatchObject({ clientOrderId: 'lim', averagePrice: '87' });
  });

  it('a quote that jumped past the stop fills at the quote (a one-trade bar)', async () => {
    const { venue, prices } = await open();
    await venue.placeOrder(market('b', 'buy', '1', 'BTCUSD', { stopLossPrice: '95' }));
    prices.set('BTCUSD', 93);
    expect((await venue.processPrices())[0]).toMatchObject({ averagePrice: '93', reason: 'stop-loss' });
  });

  it('processPrices triggers from the price feed', async () => {
    const { venue, prices } = await open();
    await venue.placeOrder(market('b', 'buy', '1', 'BTCUSD', { takeProfitPrice: '110' }));
    prices.set('BTCUSD', 109);
    expect(await venue.processPrices()).toEqual([]);
    prices.set('BTCUSD', 110);
    expect((await venue.processPrices())[0]).toMatchObject({ averagePrice: '110' });
  });
});

describe('PaperVenue: the backtest fill model (costs.fill_model)', () => {
  const model = (over: Partial<FillModel> = {}): FillModel => ({ impact: 'sqrt', sqrtK: 1, volatilityBars: 20, participation: 1, remainder: 'carry', ...over });
  const bar = (t: number, o: number, h: number, l: number, c: number, volume?: number) => ({ open: o, high: h, low: l, close: c, timestamp: Date.UTC(2024, 0, 2) + t * 3_600_000, volume });

  it('a market buy pays sqrt impact against the last bar fed, σ over the bars before it', async () => {
    const { venue } = await open({ settings: { fillModel: model() } });
    for (let i = 0; i < 20; i++) await venue.advance('BTCUSD', bar(i, 100, 102, 98, 100, 1000));
    const buy = await venue.placeOrder(market('imp-1', 'buy', '10'));
    // σ = ln(102/98) / √(4 ln 2) = 0.0400053 / 1.6651092 = 0.0240257 (every bar alike, 19 before the last);
    // impact = 1 · σ · √(10 / 1000) = 0.00240257; price = 100 · 1.00240257 = 100.240257
    expect(buy).toMatchObject({ status: 'filled', filledUnits: '10' });
    expect(Number(buy.averagePrice)).toBeCloseTo(100.240257, 5);
    // A sell reducing the position is an exit: whole, and it pays impact too (100 · (1 − 0.00240257)).
    const sell = await venue.closePosition('BTCUSD', 'imp-2');
    expect(sell).toMatchObject({ status: 'filled', filledUnits: '10' });
    expect(Number(sell.averagePrice)).toBeCloseTo(99.759743, 5);
  });

  it('participation 10 % of a bar of volume 50 fills 5 of 8 now and carries the 3 to the next bar open', async () => {
    const { venue } = await open({ settings: { fillModel: model({ participation: 0.1 }) } });
    // A bar without a range: σ = 0, so no impact on either fill and the prices are the plain ones.
    await venue.advance('BTCUSD', bar(0, 100, 100, 100, 100, 50));
    const buy = await venue.placeOrder(market('part-1', 'buy', '8'));
    // 0.1 · 50 = 5 units now at the quote 100; fee 5 · 100 · 0.001 = 0.5
    expect(buy).toMatchObject({ status: 'partially_filled', filledUnits: '5', averagePrice: '100', fees: '0.5' });
    expect(await venue.openOrders()).toHaveLength(1);
    const next = await venue.advance('BTCUSD', bar(1, 104, 106, 103, 105, 100));
    // the rest 3 ≤ 0.1 · 100 at the open 104; average (5 · 100 + 3 · 104) / 8 = 101.5; fees 0.5 + 3 · 104 · 0.001 = 0.812
    expect(next).toEqual([expect.objectContaining({ clientOrderId: 'part-1', status: 'filled', filledUnits: '8', averagePrice: '101.5', fees: '0.812' })]);
    expect(await venue.openOrders()).toEqual([]);
    expect((await venue.positions())[0]).toMatchObject({ units: '8', entryPrice: '101.5' });
    expect((await venue.fills()).map((f) => [f.units, f.price])).toEqual([
      ['5', '100'],
      ['3', '104'],
    ]);
  });

  it('remainder cancel: the 3 units over the participation limit are cancelled', async () => {
    const { venue } = await open({ settings: { fillModel: model({ participation: 0.1, remainder: 'cancel' }) } });
    await venue.advance('BTCUSD', bar(0, 100, 100, 100, 100, 50));
    const buy = await venue.placeOrder(market('part-2', 'buy', '8'));
    expect(buy).toMatchObject({ status: 'cancelled', filledUnits: '5', averagePrice: '100' });
    expect(buy.reason).toMatch(/participation limit/);
    expect(await venue.advance('BTCUSD', bar(1, 104, 106, 103, 105, 100))).toEqual([]);
    expect((await venue.positions())[0]).toMatchObject({ units: '5', entryPrice: '100' });
  });

  it('no volume (a quote, or a bar of volume 0 as forex feeds give) → no impact and a whole fill', async () => {
    const { venue } = await open({ settings: { fillModel: model({ participation: 0.1 }) } });
    for (let i = 0; i < 5; i++) await venue.advance('BTCUSD', bar(i, 100, 110, 90, 100));
    expect(await venue.placeOrder(market('nv-1', 'buy', '8'))).toMatchObject({ status: 'filled', filledUnits: '8', averagePrice: '100' });
    await venue.advance('BTCUSD', bar(5, 100, 110, 90, 100, 0));
    expect(await venue.placeOrder(market('nv-2', 'buy', '8'))).toMatchObject({ status: 'filled', filledUnits: '8', averagePrice: '100' });
  });

  it('a stop pays linear impact on its whole size and is never split', async () => {
    const { venue } = await open({ settings: { fillModel: model({ impact: 'linear', participation: 0.001 }), volumeImpact: 0.5 } });
    // No bar yet: the entry fills whole at the quote.
    expect(await venue.placeOrder(market('st-1', 'buy', '10', 'BTCUSD', { stopLossPrice: '95' }))).toMatchObject({ status: 'filled', averagePrice: '100' });
    const [exit] = await venue.advance('BTCUSD', bar(0, 97, 98, 94, 96, 1000));
    // all 10 (the limit would allow 1); 0.5 · 10 / 1000 = 0.005; 95 · (1 − 0.005) = 94.525
    expect(exit).toMatchObject({ status: 'filled', filledUnits: '10', averagePrice: '94.525', reason: 'stop-loss' });
  });

  it('a replay through the paper venue fills as the backtest SimVenue does on the same bars', async () => {
    const fillModel = model({ participation: 0.1 });
    const costs = { feeRate: 0.001, slippageRate: 0.0005, volumeImpact: 0.01 };
    const sim = new SimVenue({ initialBalance: 10_000, allowShort: true, fillModel, ...costs });
    const { venue, prices } = await open({ settings: { fillModel, ...costs } });
    const bars = Array.from({ length: 25 }, (_, i) => bar(i, 100 + i, 102 + i + (i % 3), 99 + i - (i % 2), 101 + i, 50 + 10 * (i % 4)));
    // The bar after the entry carries its rest; the one after reaches the stop at 118.
    bars[24] = bar(24, 121, 122, 115, 116, 80);
    const feed = async (b: (typeof bars)[number]) => {
      const candle = { ...b, open: b.open, volume: b.volume! };
      sim.open('BTCUSD', candle);
      sim.bar('BTCUSD', candle);
      prices.set('BTCUSD', b.close);
      await venue.advance('BTCUSD', b);
    };
    for (const b of bars.slice(0, 23)) await feed(b);
    // At the close of bar 22 (123, volume 70): 8 wanted, 7 fill now, 1 at the next open.
    const req = market('rp-1', 'buy', '8', 'BTCUSD', { stopLossPrice: '118', takeProfitPrice: '200' });
    await sim.placeOrder(req);
    expect(await venue.placeOrder(req)).toMatchObject({ status: 'partially_filled', filledUnits: '7' });
    for (const b of bars.slice(23)) await feed(b);
    const rows = (fills: { side: string; units: string; price: string }[]) => fills.map((f) => [f.side, Number(f.units), Number(f.price)]);
    const paper = rows(await venue.fills());
    const backtest = rows(await sim.fills());
    expect(paper.map((r) => r.slice(0, 2))).toEqual([
      ['buy', 7],
      ['buy', 1],
      ['sell', 8],
    ]);
    expect(backtest.map((r) => r.slice(0, 2))).toEqual(paper.map((r) => r.slice(0, 2)));
    for (let i = 0; i < paper.length; i++) expect(paper[i][2]).toBeCloseTo(backtest[i][2] as number, 8);
    // Impact is in them: the first fill is above the quote with only the fixed slippage, 123 · 1.0005.
    expect(paper[0][2]).toBeGreaterThan(123 * 1.0005 + 0.01);
  });

  it('without a fill model the bars change nothing: whole fills at the fixed slippage', async () => {
    const { venue } = await open({ settings: { slippageRate: 0.001 } });
    for (let i = 0; i < 20; i++) await venue.advance('BTCUSD', bar(i, 100, 102, 98, 100, 10));
    // 100 · 1.001, all 8 units although they are 80 % of the bar
    expect(await venue.placeOrder(market('nm-1', 'buy', '8'))).toMatchObject({ status: 'filled', filledUnits: '8', averagePrice: '100.1' });
  });
});
