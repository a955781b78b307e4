import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCandleCsv } from '../data/csv-format.js';
import { candleAt, candleInto, candleProblem, resample, toColumns, fromColumns, type Candle } from './candle.js';

const ASSETS = join(import.meta.dirname, '../../assets/data');
const load = (f: string) => parseCandleCsv(readFileSync(join(ASSETS, f), 'utf8'), { name: f });

describe('resample', () => {
  it("rolls real BTC 1h bars into the exchange's own daily bars exactly (2024)", () => {
    const hourly = load('BTCUSD/1h.csv');
    const daily = load('BTCUSD/1d.csv').filter((k) => k.timestamp >= Date.parse('2024-01-01T00:00:00Z'));
    const rolled = resample(hourly, '1h', '1d');
    expect(rolled).toHaveLength(366);
    expect(daily).toHaveLength(366);
    for (let i = 0; i < 366; i++) {
      expect(rolled[i].timestamp).toBe(daily[i].timestamp);
      expect([rolled[i].open, rolled[i].high, rolled[i].low, rolled[i].close]).toEqual([daily[i].open, daily[i].high, daily[i].low, daily[i].close]);
      expect(rolled[i].volume).toBeCloseTo(daily[i].volume, 6);
    }
  });

  it('rolls 1m into 1h matching the 1h file for December 2024', () => {
    const minutes = load('BTCUSD/1m.csv');
    const hours = load('BTCUSD/1h.csv').filter((k) => k.timestamp >= Date.parse('2024-12-01T00:00:00Z'));
    const rolled = resample(minutes, '1m', '1h');
    expect(rolled.map((k) => [k.timestamp, k.open, k.high, k.low, k.close])).toEqual(hours.map((k) => [k.timestamp, k.open, k.high, k.low, k.close]));
  });

  it('drops incomplete buckets instead of presenting them as full bars', () => {
    const bars: Candle[] = [0, 1, 2, 3, 5, 6, 7].map((h) => ({ timestamp: h * 3_600_000, open: 10 + h, high: 12 + h, low: 9 + h, close: 11 + h, volume: 1 }));
    const out = resample(bars, '1h', '4h');
    expect(out).toHaveLength(1);
    expect(out[0]).toEqual({ timestamp: 0, open: 10, high: 15, low: 9, close: 14, volume: 4 });
    expect(resample(bars, '1h', '4h', true)).toHaveLength(2);
  });

  it('refuses impossible conversions', () => {
    expect(() => resample([], '1h', '15m')).toThrow(/cannot resample/);
  });
});

describe('candle validation and columns', () => {
  it('names the broken invariant', () => {
    const ok = { timestamp: 0, open: 10, high: 12, low: 9, close: 11, volume: 0 };
    expect(candleProblem(ok)).toBeNull();
    expect(candleProblem({ ...ok, high: 10.5 })).toMatch(/high 10.5 is below max\(open, close\) 11/);
    expect(candleProblem({ ...ok, low: 10.5 })).toMatch(/low 10.5 is above/);
    expect(candleProblem({ ...ok, open: -1 })).toMatch(/positive/);
    expect(candleProblem({ ...ok, volume: -1 })).toMatch(/volume/);
  });

  it('round-trips through columns', () => {
    const bars = load('SPY/1d.csv').slice(0, 50);
    expect(fromColumns(toColumns(bars))).toEqual(bars);
  });
});

describe('candleInto', () => {
  it('writes each bar into the one record it returns, equal to candleAt of that bar', () => {
    const c = toColumns([
      { timestamp: 60_000, open: 1.5, high: 2.25, low: 1.125, close: 2, volume: 7 },
      { timestamp: 120_000, open: 2, high: 3.5, low: 1.75, close: 3, volume: 0.25 },
    ]);
    const into: Candle = { timestamp: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };
    for (let i = 0; i < c.length; i++) {
      expect(candleInto(c, i, into)).toBe(into);
      expect(into).toEqual(candleAt(c, i));
    }
  });
});
