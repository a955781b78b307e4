import { describe, expect, it } from 'vitest';
import type { Candle } from '../core/candle.js';
import { isFfeError } from '../core/errors.js';
import { TIMEFRAME_MS, TIMEFRAMES } from '../core/timeframe.js';
import { BundledMarketData } from '../data/bundled/adapter.js';
import { LayeredMarketData } from '../data/composite.js';
import type { CandleQuery, MarketData } from '../data/port.js';
import { ReplayMarketData } from './replay-market-data.js';

const HOUR = 3_600_000;

/** The bundled sample, with every candles query it answers counted. */
function counted(): { source: MarketData; queries: CandleQuery[] } {
  const inner = new BundledMarketData();
  const queries: CandleQuery[] = [];
  const source: MarketData = {
    name: inner.name,
    candles: (q) => {
      queries.push(q);
      return inner.candles(q);
    },
    latestQuote: (p, at) => inner.latestQuote(p, at),
    list: () => inner.list(),
    sampleInfo: (p) => inner.sampleInfo(p),
  };
  return { source, queries };
}

describe('ReplayMarketData', () => {
  it('answers every hourly cycle on every timeframe with exactly the bars the source gives, none closing after the cycle', async () => {
    const direct = new BundledMarketData();
    const { source, queries } = counted();
    const window = new ReplayMarketData(source);
    // Across the start of the 1m file (December 2024): before it the fine timeframes have no bars.
    const start = Date.parse('2024-11-28T00:00:00Z');
    let asked = 0;
    for (let t = start; t <= start + 6 * 24 * HOUR; t += HOUR) {
      for (const tf of TIMEFRAMES) {
        const q = { pair: 'BTCUSD', timeframe: tf, end: t, limit: 300 };
        const got: Candle[] = await window.candles(q);
        expect(got).toEqual(await direct.candles(q));
        const last = got[got.length - 1];
        if (last) expect(last.timestamp + TIMEFRAME_MS[tf]).toBeLessThanOrEqual(t);
        asked++;
      }
    }
    // Each series is read once per chunk (31 days or 1024 bars ahead), not once per cycle.
    expect(asked).toBe(145 * 6);
    expect(queries.length).toBeLessThanOrEqual(12);
  });

  it('goes back to the source for an earlier end than its chunk holds enough history for', async () => {
    const direct = new BundledMarketData();
    const window = new ReplayMarketData(new BundledMarketData());
    const late = { pair: 'ETHUSD', timeframe: '1h' as const, end: Date.parse('2024-06-01T00:00:00Z'), limit: 50 };
    expect(await window.candles(late)).toEqual(await direct.candles(late));
    const early = { ...late, end: Date.parse('2024-03-01T00:00:00Z') };
    expect(await window.candles(early)).toEqual(await direct.candles(early));
    // A longer history than the chunk was read for, at the same end.
    const longer = { ...late, limit: 2000 };
    expect(await window.candles(longer)).toEqual(await direct.candles(longer));
  });

  it('remembers a timeframe the source does not have: the error again, without asking again', async () => {
    const { source, queries } = counted();
    const window = new ReplayMarketData(source);
    const q = { pair: 'EURUSD', timeframe: '1m' as const, end: Date.parse('2024-06-01T00:00:00Z'), limit: 300 };
    const codes: string[] = [];
    for (let i = 0; i < 3; i++) {
      await window.candles({ ...q, end: q.end + i * HOUR }).catch((e: unknown) => codes.push(isFfeError(e) ? e.code : String(e)));
    }
    expect(codes).toEqual(['TIMEFRAME_UNAVAILABLE', 'TIMEFRAME_UNAVAILABLE', 'TIMEFRAME_UNAVAILABLE']);
    expect(queries).toHaveLength(1);
  });

  it('asks layered data which layer serves a pair once, and gives that layer’s quotes', async () => {
    const bundled = new BundledMarketData();
    const asked: string[] = [];
    const layered = new LayeredMarketData([
      // A layer that has no pair, as imported data without imports: each `has` is a store read.
      { source: bundled, has: async (p) => (asked.push(p), false) },
      { source: bundled, has: async () => true },
    ]);
    const window = new ReplayMarketData(layered);
    for (let t = Date.parse('2024-11-30T20:00:00Z'); t <= Date.parse('2024-12-01T04:00:00Z'); t += HOUR) {
      for (const pair of ['BTCUSD', 'ETHUSD']) expect(await window.latestQuote(pair, t)).toEqual(await bundled.latestQuote(pair, t));
    }
    expect(asked).toEqual(['BTCUSD', 'ETHUSD']);
  });
});
