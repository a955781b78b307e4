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
});
