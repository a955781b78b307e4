import { describe, expect, it } from 'vitest';
import { tradingDay, tradingDayStart } from './trading-day.js';

describe('the one trading-day boundary', () => {
  it('UTC: midnight UTC', () => {
    const t = Date.parse('2024-03-05T17:42:10.123Z');
    expect(tradingDayStart(t, 'UTC')).toBe(Date.parse('2024-03-05T00:00:00Z'));
    expect(tradingDayStart(Date.parse('2024-03-05T00:00:00Z'), 'UTC')).toBe(Date.parse('2024-03-05T00:00:00Z'));
  });

  it('a zone: its local midnight, across daylight saving changes, and the date agrees with tradingDay', () => {
    const ny = 'America/New_York';
    // 03:00 UTC on 6 March is still 5 March in New York (EST, UTC−5).
    expect(tradingDay(Date.parse('2024-03-06T03:00:00Z'), ny)).toBe('2024-03-05');
    expect(tradingDayStart(Date.parse('2024-03-06T03:00:00Z'), ny)).toBe(Date.parse('2024-03-05T05:00:00Z'));
    // After the spring change (EDT, UTC−4) and on the day of the change itself.
    expect(tradingDayStart(Date.parse('2024-03-12T12:00:00Z'), ny)).toBe(Date.parse('2024-03-12T04:00:00Z'));
    expect(tradingDayStart(Date.parse('2024-03-10T12:00:00Z'), ny)).toBe(Date.parse('2024-03-10T05:00:00Z'));
    expect(tradingDayStart(Date.parse('2024-06-01T02:00:00Z'), 'Asia/Tokyo')).toBe(Date.parse('2024-05-31T15:00:00Z'));
    for (let t = Date.parse('2024-01-01T00:00:00Z'); t < Date.parse('2024-12-31T00:00:00Z'); t += 7 * 3_600_000 + 123_457) {
      const s = tradingDayStart(t, ny);
      expect(s).toBeLessThanOrEqual(t);
      expect(tradingDay(s, ny)).toBe(tradingDay(t, ny));
      expect(tradingDay(s - 1, ny)).not.toBe(tradingDay(t, ny));
    }
  });

  it('an unknown zone is refused by name', () => {
    expect(() => tradingDayStart(0, 'Mars/Olympus')).toThrow(/unknown time zone "Mars\/Olympus"/);
  });
});
