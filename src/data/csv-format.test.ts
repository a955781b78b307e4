import { describe, expect, it } from 'vitest';
import { parseCandleCsv } from './csv-format.js';

const parse = (text: string) => parseCandleCsv(text, { name: 'f.csv' });

describe('parseCandleCsv', () => {
  it('reads ISO, naive and epoch timestamps in any column order', () => {
    const out = parse('Close,Open,High,Low,Date\n11,10,12,9,2024-01-01T00:00:00Z\n12,11,13,10,2024-01-01 01:00:00\n13,12,14,11,1704074400\n');
    expect(out.map((k) => k.timestamp)).toEqual([Date.parse('2024-01-01T00:00:00Z'), Date.parse('2024-01-01T01:00:00Z'), Date.parse('2024-01-01T02:00:00Z')]);
    expect(out[0]).toEqual({ timestamp: Date.parse('2024-01-01T00:00:00Z'), open: 10, high: 12, low: 9, close: 11, volume: 0 });
  });

  it.each([
    ['timestamp,open,high,low\n', /line 1: missing column\(s\) close/],
    ['timestamp,open,high,low,close\n2024-01-01,10,12,9,x\n', /line 2: close "x" is not a number/],
    ['timestamp,open,high,low,close\nyesterday,10,12,9,11\n', /line 2: timestamp "yesterday"/],
    ['timestamp,open,high,low,close\n2024-01-01,10,12,9,11\n2024-01-01,10,12,9,11\n', /line 3: timestamp .* is not after the previous row/],
    ['timestamp,open,high,low,close\n2024-01-02,10,12,9,11\n2024-01-01,10,12,9,11\n', /line 3: .*increasing time order/],
    ['timestamp,open,high,low,close\n2024-01-01,10,12,10.5,11\n', /line 2: low 10.5 is above min\(open, close\) 10/],
    ['timestamp,open,high,low,close\n2024-01-01,0,12,0,11\n', /line 2: prices must be positive/],
    ['timestamp,open,high,low,close\n2024-01-01,10,12\n', /line 2: expected 5 fields, got 3/],
    ['timestamp,open,high,low,close\n', /no data rows/],
    ['timestamp,open,high,low,close\n9999-01-03,10,12,9,11\n', /line 2: timestamp 9999-01-03T00:00:00.000Z is after 2200/],
    ['timestamp,open,high,low,close\n1800-01-03,10,12,9,11\n', /line 2: timestamp .* is before 1900/],
  ])('rejects %j', (text, msg) => {
    expect(() => parse(text)).toThrow(msg);
  });

  it('refuses a bar dated after the clock, accepts one at it', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const text = (d: string) => `timestamp,open,high,low,close\n2025-12-31,10,12,9,11\n${d},10,12,9,11\n`;
    expect(() => parseCandleCsv(text('2026-01-02'), { name: 'f.csv', notAfter: now })).toThrow(/line 3: timestamp 2026-01-02T00:00:00.000Z is after now \(2026-01-01/);
    expect(parseCandleCsv(text('2026-01-01'), { name: 'f.csv', notAfter: now })).toHaveLength(2);
  });
});

describe('parseCandleCsv with a timeframe', () => {
  it('refuses a bar off the grid, naming its line and time', () => {
    const text = 'timestamp,open,high,low,close\n2024-01-01,10,12,9,11\n2024-01-02T12:00:00Z,10,12,9,11\n2024-01-03,10,12,9,11\n';
    expect(() => parseCandleCsv(text, { name: 'd.csv', timeframe: '1d' })).toThrow(/d\.csv: line 3: timestamp 2024-01-02T12:00:00\.000Z is not on the 1d grid/);
    expect(parseCandleCsv(text, { name: 'd.csv', timeframe: '1h' })).toHaveLength(3);
  });
});
