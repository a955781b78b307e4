import { describe, expect, it } from 'vitest';
import { fromColumns, type Candle } from '../core/candle.js';
import { venueContract } from '../../test/contract/venue.contract.js';
import { runBacktest } from './engine.js';
import { SimVenue } from './sim-venue.js';
import { STRATEGIES } from './strategies/index.js';
import { randomWalk, singlePair } from './synthetic.js';
import { DEFAULT_SETTINGS } from './types.js';

const bar = (t: number, o: number, h: number, l: number, c: number): Candle => ({ timestamp: t, open: o, high: h, low: l, close: c, volume: 1e6 });
const opts = { initialBalance: 10_000, feeRate: 0.001, slippageRate: 0.0001, volumeImpact: 0.01, allowShort: true };

venueContract('backtest SimVenue', async () => {
  const venue = new SimVenue(opts);
  const b = bar(Date.UTC(2024, 0, 1), 40_000, 40_100, 39_900, 40_000);
  venue.open('BTCUSD', b);
  venue.bar('BTCUSD', b);
  return { venue, pair: 'BTCUSD', price: 40_000, units: '0.01', close: async () => {} };
});

describe('SimVenue fill model', () => {
  it('attached stop and target follow the conservative intrabar rule', async () => {
    const v = new SimVenue({ ...opts, slippageRate: 0, feeRate: 0, volumeImpact: 0 });
    v.open('X', bar(0, 100, 100, 100, 100));
    await v.placeOrder({ clientOrderId: 'a', pair: 'X', side: 'buy', type: 'market', units: '1', stopLossPrice: '98', takeProfitPrice: '105' });
    v.bar('X', bar(0, 100, 106, 97, 104));
    expect(await v.positions()).toEqual([]);
    const exit = (await v.fills()).at(-1)!;
    expect([exit.side, exit.price]).toEqual(['sell', '98']);
    expect((await v.equity()).value).toBe('9998');
  });

  it('driven bar by bar, it books the same fills, fees and cash as the event engine', async () => {
    const cols = randomWalk(1500, { seed: 31 });
    const data = singlePair(cols);
    const settings = { ...DEFAULT_SETTINGS, stopLoss: 1, takeProfit: 1e9 };
    const r = await runBacktest(data, STRATEGIES['sma-cross'].create({ fast: 5, slow: 20 }, data), settings);
    const v = new SimVenue({ ...opts, allowShort: settings.allowShort });
    const bars = fromColumns(cols);
    let f = 0;
    for (const b of bars) {
      v.open('BTCUSD', b);
      // Replay the engine's fills at this open as orders through the port.
      while (f < r.fills.length && r.fills[f].time === b.timestamp) {
        const x = r.fills[f++];
        await v.placeOrder({ clientOrderId: `c${f}`, pair: 'BTCUSD', side: x.units > 0 ? 'buy' : 'sell', type: 'market', units: String(Math.abs(x.units)) });
      }
      v.bar('BTCUSD', b);
    }
    // The engine ends flat at the last close; so does the venue, and the cash then agrees.
    const end = r.fills.at(-1)!;
    expect(end.reason).toBe('end');
    await v.placeOrder({ clientOrderId: 'end', pair: 'BTCUSD', side: end.units > 0 ? 'buy' : 'sell', type: 'market', units: String(Math.abs(end.units)) });
    expect(Number((await v.equity()).value)).toBeCloseTo(r.cash, 6);
    const vf = (await v.fills()).slice(0, -1);
    const entriesAndSignals = r.fills.filter((x) => x.reason !== 'end');
    expect(vf).toHaveLength(entriesAndSignals.length);
    vf.forEach((x, k) => {
      expect(Number(x.price)).toBeCloseTo(entriesAndSignals[k].price, 6);
      expect(Number(x.fee)).toBeCloseTo(entriesAndSignals[k].fee, 8);
    });
  });

  it('reads of the account follow every fill and every move of a held pair, and holdings() / equityNumber() are the numbers of positions() / equity()', async () => {
    const v = new SimVenue(opts);
    const read = async () => {
      const [pos, eq] = await Promise.all([v.positions(), v.equity()]);
      const signed = pos.map((p) => [p.pair, (p.side === 'long' ? 1 : -1) * Number(p.units), Number(p.entryPrice), p.openedAt]);
      const held = [...v.holdings()].map(([pair, h]) => [pair, h.units, h.entryPrice, h.openedAt]);
      expect(held).toEqual(signed);
      expect(v.equityNumber()).toBe(Number(eq.value));
      // The risk context's readers without a promise: the same records and equity.
      expect(v.positionsNow()).toEqual(pos);
      expect(v.equityNow()).toEqual(eq);
      return { pos, eq: Number(eq.value) };
    };
    v.open('BTCUSD', bar(0, 40_000, 40_000, 40_000, 40_000));
    v.open('ETHUSD', bar(0, 2_000, 2_000, 2_000, 2_000));
    expect((await read()).eq).toBe(10_000);
    await v.placeOrder({ clientOrderId: 'a', pair: 'BTCUSD', side: 'buy', type: 'market', units: '0.1' });
    const a = await read();
    expect(a.pos.map((p) => p.markPrice)).toEqual(['40000']);
    // A held pair's close moves the mark and the equity; a pair not held moves neither.
    v.bar('BTCUSD', bar(0, 40_000, 41_000, 40_000, 41_000));
    const b = await read();
    expect(b.pos.map((p) => p.markPrice)).toEqual(['41000']);
    expect(b.eq - a.eq).toBeCloseTo(100, 9);
    v.bar('ETHUSD', bar(0, 2_000, 2_500, 2_000, 2_500));
    expect((await read()).eq).toBe(b.eq);
    await v.placeOrder({ clientOrderId: 'b', pair: 'ETHUSD', side: 'sell', type: 'market', units: '2' });
    const c = await read();
    expect(c.pos.map((p) => [p.pair, p.side])).toEqual([
      ['BTCUSD', 'long'],
      ['ETHUSD', 'short'],
    ]);
    await v.closePosition('BTCUSD', 'c');
    expect((await read()).pos.map((p) => p.pair)).toEqual(['ETHUSD']);
  });

  it('a carried rest keeps filling at later opens among many finished orders, and an exit cancels it', async () => {
    const v = new SimVenue({ ...opts, fillModel: { impact: 'sqrt', sqrtK: 1, volatilityBars: 20, participation: 0.1, remainder: 'carry' } });
    const thin = (t: number) => ({ ...bar(t, 100, 101, 99, 100), volume: 10 });
    // 50 round trips, one a bar, of 0.5 units fill whole (under 10 % of the bar's 10) and leave 100 finished orders.
    for (let i = 0; i < 50; i++) {
      v.open('X', thin(i * 60_000));
      await v.placeOrder({ clientOrderId: `in${i}`, pair: 'X', side: 'buy', type: 'market', units: '0.5' });
      await v.placeOrder({ clientOrderId: `out${i}`, pair: 'X', side: 'sell', type: 'market', units: '0.5' });
    }
    v.open('X', thin(50 * 60_000));
    const big = await v.placeOrder({ clientOrderId: 'big', pair: 'X', side: 'buy', type: 'market', units: '2.5' });
    expect([big.status, big.filledUnits]).toEqual(['partially_filled', '1']);
    v.open('X', thin(51 * 60_000));
    expect((await v.getOrderByClientId('big'))?.filledUnits).toBe('2');
    await v.placeOrder({ clientOrderId: 'exit', pair: 'X', side: 'sell', type: 'market', units: '2' });
    expect((await v.getOrderByClientId('big'))?.status).toBe('cancelled');
    v.open('X', thin(52 * 60_000));
    expect((await v.getOrderByClientId('big'))?.filledUnits).toBe('2');
    expect((await v.fills()).length).toBe(100 + 2 + 1);
    expect(await v.positions()).toEqual([]);
  });
});
