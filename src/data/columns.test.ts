import { describe, expect, it } from 'vitest';
import { fromColumns, resample, toColumns, type Candle } from '../core/candle.js';
import { TIMEFRAME_MS } from '../core/timeframe.js';
import { closedColumns, firstAtOrAfter, resampleColumns, sliceColumns } from './columns.js';
import { closedWindow } from './select-series.js';

const M = 60_000;
/** Seeded 1m bars with a gap (bars 50–69 missing), so some buckets are partial. */
function minutes(n: number): Candle[] {
  let seed = 7;
  const rnd = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const out: Candle[] = [];
  let p = 100;
  for (let i = 0; i < n; i++) {
    const open = p;
    const close = open * (1 + (rnd() - 0.5) * 0.01);
    if (i < 50 || i >= 70) out.push({ timestamp: Date.UTC(2024, 0, 1) + 7 * M + i * M, open, high: Math.max(open, close) * (1 + rnd() * 0.01), low: Math.min(open, close) * (1 - rnd() * 0.01), close, volume: rnd() * 10 });
    p = close;
  }
  return out;
}

describe('candle columns', () => {
  const bars = minutes(3000);
  const cols = toColumns(bars);

  it('resampleColumns gives resample’s bars, value for value (whole buckets only)', () => {
    for (const tf of ['5m', '15m', '1h', '4h'] as const) expect(fromColumns(resampleColumns(cols, '1m', tf))).toEqual(resample(bars, '1m', tf));
    expect(resampleColumns(toColumns([]), '1m', '1h').length).toBe(0);
  });

  it('closedColumns is closedWindow as a view: no bar closing after `end`, the most recent `limit`', () => {
    const h = resample(bars, '1m', '1h');
    const hc = toColumns(h);
    for (const end of [h[0].timestamp, h[3].timestamp + TIMEFRAME_MS['1h'], h[3].timestamp + TIMEFRAME_MS['1h'] - 1, h[h.length - 1].timestamp + 10 * TIMEFRAME_MS['1h']])
      for (const limit of [1, 5, 1e9]) expect(fromColumns(closedColumns(hc, '1h', end, limit))).toEqual(closedWindow(h, '1h', end, limit));
    // A view: the parent's buffer, not a copy.
    expect(closedColumns(hc, '1h', Infinity, 3).close.buffer).toBe(hc.close.buffer);
  });

  it('firstAtOrAfter and sliceColumns', () => {
    const ts = cols.timestamp;
    expect(firstAtOrAfter(ts, ts[10])).toBe(10);
    expect(firstAtOrAfter(ts, ts[10], true)).toBe(11);
    expect(firstAtOrAfter(ts, ts[10] + 1)).toBe(11);
    expect(firstAtOrAfter(ts, -Infinity)).toBe(0);
    expect(firstAtOrAfter(ts, Infinity)).toBe(ts.length);
    expect(fromColumns(sliceColumns(cols, 5, 9))).toEqual(bars.slice(5, 9));
  });
});
