import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromColumns, resample, type Candle } from '../../core/candle.js';
import { TIMEFRAME_MS } from '../../core/timeframe.js';
import { SqliteStore } from '../../store/sqlite/store.js';
import { BundledMarketData } from '../bundled/adapter.js';
import { ImportedMarketData } from './adapter.js';

const t = (iso: string) => Date.parse(iso);
let store: SqliteStore;
let eth: Candle[];

beforeAll(async () => {
  store = await SqliteStore.open(':memory:');
  eth = await new BundledMarketData(undefined, null).candles({ pair: 'ETHUSD', timeframe: '1h', end: t('2024-04-01T00:00:00Z'), limit: 2000 });
});
afterAll(() => store.close());

/** What the imported bars give resampled from scratch: the last `limit` 4h bars closed by `end`. */
const expected = (bars: Candle[], end: number, limit: number) =>
  resample(
    bars.filter((b) => b.timestamp + TIMEFRAME_MS['1h'] <= end),
    '1h',
    '4h',
  ).slice(-limit);

describe('ImportedMarketData: resampled series kept between calls', () => {
  it('serves the same 4h bars as resampling the stored 1h bars, and follows later imports', async () => {
    const md = new ImportedMarketData(store.candles);
    const first = eth.slice(0, 1000);
    await store.candles.importSeries('ETHUSD', '1h', first, 'eth-a.csv');
    const end1 = first[first.length - 1].timestamp + TIMEFRAME_MS['1h'];
    expect(await md.candles({ pair: 'ETHUSD', timeframe: '4h', end: end1, limit: 50 })).toEqual(expected(first, end1, 50));
    // An earlier `end` answers from the same kept series, without look-ahead.
    const mid = t('2024-02-01T00:00:00Z');
    expect(await md.candles({ pair: 'ETHUSD', timeframe: '4h', end: mid, limit: 20 })).toEqual(expected(first, mid, 20));

    // New rows: the kept series must not hide them.
    await store.candles.importSeries('ETHUSD', '1h', eth.slice(1000), 'eth-b.csv');
    const end2 = eth[eth.length - 1].timestamp + TIMEFRAME_MS['1h'];
    const after = await md.candles({ pair: 'ETHUSD', timeframe: '4h', end: end2, limit: 50 });
    expect(after).toEqual(expected(eth, end2, 50));
    expect(after[after.length - 1].timestamp).toBeGreaterThan(end1);

    // Replaced rows (same range and count, other prices): the import time changes, so does the answer.
    await new Promise((r) => setTimeout(r, 5));
    const doubled = eth.map((b) => ({ ...b, open: b.open * 2, high: b.high * 2, low: b.low * 2, close: b.close * 2 }));
    await store.candles.importSeries('ETHUSD', '1h', doubled, 'eth-b.csv');
    expect(await md.candles({ pair: 'ETHUSD', timeframe: '4h', end: end2, limit: 50 })).toEqual(expected(doubled, end2, 50));
  });
});

describe('ImportedMarketData: candleColumns', () => {
  it('answers the same bars as candles(), stored and resampled, before and after a re-import', async () => {
    const own = await SqliteStore.open(':memory:');
    try {
      const md = new ImportedMarketData(own.candles);
      await own.candles.importSeries('ETHUSD', '1h', eth.slice(0, 1500), 'eth-a.csv');
      const ends = [t('2024-02-01T00:00:00Z'), t('2024-02-01T00:30:00Z'), eth[1499].timestamp + TIMEFRAME_MS['1h']];
      for (const timeframe of ['1h', '4h', '1d'] as const)
        for (const end of ends)
          for (const limit of [10, 1e9]) expect(fromColumns(await md.candleColumns({ pair: 'ETHUSD', timeframe, end, limit }))).toEqual(await md.candles({ pair: 'ETHUSD', timeframe, end, limit }));
      await own.candles.importSeries('ETHUSD', '1h', eth.slice(1500), 'eth-b.csv');
      const end = eth[eth.length - 1].timestamp + TIMEFRAME_MS['1h'];
      const cols = await md.candleColumns({ pair: 'ETHUSD', timeframe: '4h', end, limit: 1e9 });
      expect(fromColumns(cols)).toEqual(expected(eth, end, 1e9));
      await expect(md.candleColumns({ pair: 'ETHUSD', timeframe: '5m', end })).rejects.toMatchObject({ code: 'TIMEFRAME_UNAVAILABLE' });
    } finally {
      await own.close();
    }
  });
});
