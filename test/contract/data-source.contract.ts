import { afterEach, describe, expect, it } from 'vitest';
import type { Candle } from '../../src/core/candle.js';
import { FfeError } from '../../src/core/errors.js';
import { TIMEFRAME_MS, type Timeframe } from '../../src/core/timeframe.js';
import type { MarketData } from '../../src/data/port.js';

/** One data source under test, with what it holds. */
export interface DataSourceHarness {
  source: MarketData;
  /** A pair the source serves. */
  pair: string;
  /** Each timeframe the source serves for `pair`, with an end (ms) by which at least `minBars` bars of it have closed. */
  timeframes: Partial<Record<Timeframe, number>>;
  /** A timeframe the source cannot serve for `pair` (TIMEFRAME_UNAVAILABLE), when there is one. */
  unavailable?: Timeframe;
  /** An end (ms) before any bar of `pair`. */
  beforeData: number;
  /** A well-formed pair the source does not have. */
  unknownPair: string;
  close?(): Promise<void>;
}

const closeOf = (k: Candle, tf: Timeframe) => k.timestamp + TIMEFRAME_MS[tf];
const MIN_BARS = 3;

async function failure(p: Promise<unknown>): Promise<FfeError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e, 'expected an FfeError').toBeInstanceOf(FfeError);
  return e as FfeError;
}

/** What every bar list a source answers must be: ascending, no duplicates, nothing closing after `end`, sane OHLCV. */
function expectWellFormed(bars: Candle[], tf: Timeframe, end: number) {
  for (let i = 0; i < bars.length; i++) {
    const k = bars[i];
    for (const v of [k.timestamp, k.open, k.high, k.low, k.close, k.volume]) expect(Number.isFinite(v), `bar ${i}: ${JSON.stringify(k)}`).toBe(true);
    expect(k.low, `bar ${i} low ≤ open/close`).toBeLessThanOrEqual(Math.min(k.open, k.close));
    expect(k.high, `bar ${i} high ≥ open/close`).toBeGreaterThanOrEqual(Math.max(k.open, k.close));
    expect(k.volume).toBeGreaterThanOrEqual(0);
    expect(closeOf(k, tf), `bar ${i} closes after the requested end (look-ahead)`).toBeLessThanOrEqual(end);
    if (i > 0) expect(k.timestamp, `bar ${i} is not after bar ${i - 1}`).toBeGreaterThan(bars[i - 1].timestamp);
  }
}

/**
 * What every MarketData source promises through the port (src/data/port.ts), whatever is behind
 * it: closed bars only, oldest first, no duplicates, sane OHLCV, the most recent `limit`; an
 * unknown pair or timeframe is a coded FfeError; before its data a source answers no bars.
 * `dataSourceContract('csv', makeHarness)`.
 */
export function dataSourceContract(name: string, make: () => Promise<DataSourceHarness>): void {
  describe(`Data source contract: ${name}`, () => {
    let h: DataSourceHarness | null = null;
    const harness = async () => (h = await make());
    afterEach(async () => {
      await h?.close?.();
      h = null;
    });

    it('serves at least one timeframe for its pair', async () => {
      const x = await harness();
      expect(Object.keys(x.timeframes).length).toBeGreaterThan(0);
    });

    it('candles: ascending, no duplicates, no bar closing after the end, OHLC sane, at most limit, the most recent ones, every timeframe it serves', async () => {
      const x = await harness();
      for (const [tf, end] of Object.entries(x.timeframes) as [Timeframe, number][]) {
        const bars = await x.source.candles({ pair: x.pair, timeframe: tf, end, limit: 50 });
        expect(bars.length, `${tf}: bars by ${new Date(end).toISOString()}`).toBeGreaterThanOrEqual(MIN_BARS);
        expect(bars.length).toBeLessThanOrEqual(50);
        expectWellFormed(bars, tf, end);
        // A smaller limit: the most recent of the same bars.
        const few = await x.source.candles({ pair: x.pair, timeframe: tf, end, limit: 2 });
        expect(few).toEqual(bars.slice(-2));
      }
    });

    it('an earlier end gives the bars closed by then, the same values: nothing of the later bars leaks in', async () => {
      const x = await harness();
      for (const [tf, end] of Object.entries(x.timeframes) as [Timeframe, number][]) {
        const bars = await x.source.candles({ pair: x.pair, timeframe: tf, end, limit: 50 });
        // Mid-bar: the bar open at that moment has not closed and must not be there.
        const cut = bars[bars.length - 2].timestamp + TIMEFRAME_MS[tf] + Math.floor(TIMEFRAME_MS[tf] / 2);
        const earlier = await x.source.candles({ pair: x.pair, timeframe: tf, end: cut, limit: 50 });
        expectWellFormed(earlier, tf, cut);
        expect(earlier.filter((k) => k.timestamp >= bars[0].timestamp)).toEqual(bars.slice(0, -1));
      }
    });

    it("without an end: closed bars up to the source's now, well formed", async () => {
      const x = await harness();
      const [tf] = Object.keys(x.timeframes) as Timeframe[];
      const bars = await x.source.candles({ pair: x.pair, timeframe: tf, limit: 10 });
      expectWellFormed(bars, tf, Date.now());
    });

    it('before its data: no bars (an empty answer, not an error)', async () => {
      const x = await harness();
      for (const tf of Object.keys(x.timeframes) as Timeframe[]) expect(await x.source.candles({ pair: x.pair, timeframe: tf, end: x.beforeData, limit: 10 })).toEqual([]);
    });

    it('latestQuote(pair, at): the close of a bar closed by `at`, stamped no later than `at`', async () => {
      const x = await harness();
      const [tf, end] = Object.entries(x.timeframes)[0] as [Timeframe, number];
      const q = await x.source.latestQuote(x.pair, end);
      expect(q.pair.replace('/', '')).toBe(x.pair.replace('/', ''));
      expect(q.price).toBeGreaterThan(0);
      expect(q.timestamp).toBeLessThanOrEqual(end);
      expect(typeof q.source).toBe('string');
      const bars = await x.source.candles({ pair: x.pair, timeframe: tf, end, limit: 50 });
      expect(q.timestamp).toBeGreaterThanOrEqual(closeOf(bars[0], tf));
    });

    it('an unknown pair is an input FfeError with a code, naming the pair (candles and quote)', async () => {
      const x = await harness();
      const [tf, end] = Object.entries(x.timeframes)[0] as [Timeframe, number];
      for (const p of [x.source.candles({ pair: x.unknownPair, timeframe: tf, end }), x.source.latestQuote(x.unknownPair, end)]) {
        const e = await failure(p);
        expect(e.code).toMatch(/^PAIR_(NOT_AVAILABLE|UNKNOWN)$/);
        expect(e.kind).toBe('input');
        expect(e.message).toContain(x.unknownPair);
      }
      const junk = await failure(x.source.candles({ pair: 'NOT A PAIR!', timeframe: tf, end }));
      expect(junk.kind).toBe('input');
      expect(junk.code).toMatch(/^[A-Z_]+$/);
    });

    it('a timeframe it cannot serve is TIMEFRAME_UNAVAILABLE', async () => {
      const x = await harness();
      if (!x.unavailable) return;
      const e = await failure(x.source.candles({ pair: x.pair, timeframe: x.unavailable, end: Object.values(x.timeframes)[0] }));
      expect(e.code).toBe('TIMEFRAME_UNAVAILABLE');
      expect(e.message).toContain(x.unavailable);
    });

    it('list() and sampleInfo() describe what it serves consistently', async () => {
      const x = await harness();
      for (const s of await x.source.list()) {
        expect(s.first).toBeLessThanOrEqual(s.last);
        expect(s.bars).toBeGreaterThan(0);
        expect(TIMEFRAME_MS[s.timeframe]).toBeGreaterThan(0);
        const [last] = await x.source.candles({ pair: s.pair, timeframe: s.timeframe, end: s.last + TIMEFRAME_MS[s.timeframe], limit: 1 });
        expect(last.timestamp).toBe(s.last);
      }
      const info = await x.source.sampleInfo(x.pair);
      if (info) {
        expect(info.label.length).toBeGreaterThan(0);
        expect(Number.isFinite(info.asOf)).toBe(true);
      }
    });
  });
}
