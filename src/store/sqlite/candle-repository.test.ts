import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Candle } from '../../core/candle.js';
import { SqliteStore } from './store.js';

const stores: SqliteStore[] = [];
async function open(path: string) {
  const s = await SqliteStore.open(path);
  stores.push(s);
  return s;
}
afterEach(async () => {
  while (stores.length) await stores.pop()!.close();
});

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const bars = (from: number, n: number, step: number): Candle[] => Array.from({ length: n }, (_, i) => ({ timestamp: from + i * step, open: 1 + i, high: 2 + i, low: 0.5 + i, close: 1.5 + i, volume: 10 }));

describe('SqliteCandleRepository.series', () => {
  it("each series' first and last bar and count, ordered by pair and timeframe; a series whose candles are gone is left out", async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ffe-candles-')), 'ffe.db');
    const s = await open(path);
    await s.candles.importSeries('ETHUSD', '1h', bars(T0 + 5 * H, 4, H), 'b');
    await s.candles.importSeries('BTCUSD', '1h', bars(T0, 7, H), 'a');
    await s.candles.importSeries('BTCUSD', '1d', bars(T0, 3, 24 * H), 'c');
    await s.candles.importSeries('XAUUSD', '1h', bars(T0, 2, H), 'd');
    // Candles removed behind the repository's back (its series row stays): no summary for them.
    s.sqlite.raw.prepare("DELETE FROM candles WHERE pair = 'XAUUSD'").run();
    // A handle of its own: series() of the first one is cached against the series table, which the delete did not change.
    const fresh = await open(path);
    const list = await fresh.candles.series();
    expect(list.map(({ pair, timeframe, first, last, bars: n, source }) => ({ pair, timeframe, first, last, bars: n, source }))).toEqual([
      { pair: 'BTCUSD', timeframe: '1d', first: T0, last: T0 + 48 * H, bars: 3, source: 'c' },
      { pair: 'BTCUSD', timeframe: '1h', first: T0, last: T0 + 6 * H, bars: 7, source: 'a' },
      { pair: 'ETHUSD', timeframe: '1h', first: T0 + 5 * H, last: T0 + 8 * H, bars: 4, source: 'b' },
    ]);
  });
});
