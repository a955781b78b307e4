import { describe, expect, it } from 'vitest';
import { TIMEFRAME_MS } from '../../core/timeframe.js';
import { BundledMarketData } from './adapter.js';

const data = new BundledMarketData();

describe('BundledMarketData', () => {
  it('serves the four bundled pairs and says they are offline samples with a date', async () => {
    expect(data.pairs()).toEqual(['BTCUSD', 'ETHUSD', 'EURUSD', 'SPY']);
    const info = await data.sampleInfo('BTCUSD');
    expect(info.label).toMatch(/^offline sample data: Binance BTC\/USDT/);
    expect(new Date(info.asOf).toISOString()).toBe('2025-01-01T00:00:00.000Z');
  });

  it('builds all six BTC timeframes, natively or resampled, and reports where each comes from', async () => {
    const list = (await data.list()).filter((s) => s.pair === 'BTCUSD');
    expect(Object.fromEntries(list.map((s) => [s.timeframe, s.origin]))).toEqual({
      '1m': 'native',
      '5m': 'resampled from 1m',
      '15m': 'resampled from 1m',
      '1h': 'native',
      '4h': 'resampled from 1h',
      '1d': 'native',
    });
  });

  it('lists each series with the extent its candles have, whether read for the list or queried before it', async () => {
    const fresh = new BundledMarketData();
    const listed = await fresh.list();
    expect(listed.length).toBeGreaterThan(10);
    for (const s of listed) {
      const all = await fresh.candles({ pair: s.pair, timeframe: s.timeframe, end: Number.MAX_SAFE_INTEGER, limit: 1e9 });
      expect([s.bars, s.first, s.last], `${s.pair} ${s.timeframe}`).toEqual([all.length, all[0].timestamp, all[all.length - 1].timestamp]);
    }
    // The answer is worked out once; a caller's copy is its own.
    (await fresh.list())[0].bars = -1;
    expect(await fresh.list()).toEqual(listed);
    expect(await new BundledMarketData().list()).toEqual(listed);
  });

  it('returns only bars closed at or before `end` (no look-ahead)', async () => {
    const end = Date.parse('2024-12-10T12:30:00Z');
    const bars = await data.candles({ pair: 'BTCUSD', timeframe: '4h', end, limit: 10 });
    expect(bars).toHaveLength(10);
    const last = bars[bars.length - 1];
    expect(last.timestamp + TIMEFRAME_MS['4h']).toBeLessThanOrEqual(end);
    expect(new Date(last.timestamp).toISOString()).toBe('2024-12-10T08:00:00.000Z');
    const q = await data.latestQuote('BTCUSD', end);
    expect(q.timestamp).toBe(end);
  });

  it('quotes the latest close known at a time, from whichever native series has it', async () => {
    // March 2024: no 1m data yet, the 1h bar 09:00–10:00 is the latest close.
    const march = await data.latestQuote('BTCUSD', Date.parse('2024-03-05T10:30:00Z'));
    const h1 = await data.candles({ pair: 'BTCUSD', timeframe: '1h', end: Date.parse('2024-03-05T10:30:00Z'), limit: 1 });
    expect(march).toMatchObject({ price: h1[0].close, timestamp: Date.parse('2024-03-05T10:00:00Z') });
    // December 2024: the 1m series is finer and later.
    const dec = await data.latestQuote('BTCUSD', Date.parse('2024-12-05T10:30:30Z'));
    const m1 = await data.candles({ pair: 'BTCUSD', timeframe: '1m', end: Date.parse('2024-12-05T10:30:30Z'), limit: 1 });
    expect(dec).toMatchObject({ price: m1[0].close, timestamp: Date.parse('2024-12-05T10:30:00Z') });
    await expect(data.latestQuote('BTCUSD', Date.parse('2010-01-01T00:00:00Z'))).rejects.toMatchObject({ code: 'NO_DATA' });
  });

  it('reports missing timeframes instead of inventing them', async () => {
    await expect(data.candles({ pair: 'ETHUSD', timeframe: '5m' })).rejects.toMatchObject({ code: 'TIMEFRAME_UNAVAILABLE' });
    await expect(data.candles({ pair: 'SPY', timeframe: '1h' })).rejects.toMatchObject({ code: 'TIMEFRAME_UNAVAILABLE' });
  });

  it('names the available pairs for an unknown one', async () => {
    await expect(data.candles({ pair: 'XRPUSD', timeframe: '1d' })).rejects.toThrow(/available offline: BTCUSD, ETHUSD, EURUSD, SPY/);
  });
});
