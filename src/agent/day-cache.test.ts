import { describe, expect, it } from 'vitest';
import { tradingDay } from '../core/trading-day.js';
import { DayCache } from './day-cache.js';

describe('DayCache', () => {
  it('answers as tradingDay hour by hour across DST changes and odd offsets', () => {
    for (const tz of ['UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe']) {
      const days = new DayCache(tz);
      // 2024-03-01 → 2024-11-15 in 15-minute steps: both DST changes of each hemisphere's zones.
      for (let t = Date.parse('2024-03-01T00:07:00Z'); t < Date.parse('2024-11-15T00:00:00Z'); t += 900_000) {
        const want = tradingDay(t, tz);
        if (days.of(t) !== want) expect.fail(`${tz} at ${new Date(t).toISOString()}: ${days.of(t)} != ${want}`);
      }
    }
  });

  it('answers a clock that goes back (a new run, a test) correctly too', () => {
    const days = new DayCache('America/New_York');
    expect(days.of(Date.parse('2024-03-10T12:00:00Z'))).toBe('2024-03-10');
    expect(days.of(Date.parse('2024-03-01T04:59:59Z'))).toBe('2024-02-29');
    expect(days.of(Date.parse('2024-03-01T05:00:00Z'))).toBe('2024-03-01');
  });
});
