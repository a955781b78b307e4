import { describe, expect, it } from 'vitest';
import { backtestMarketStatus, closeBefore, openFrom } from './market-time.js';

const iso = (t: number) => new Date(t).toISOString();
const DAY = 86_400_000;

describe('when a closed market next lets an order go, and when it last did', () => {
  it('a daily stock bar opens at the 09:30 New York auction, summer and winter time', () => {
    const jul = Date.parse('2024-07-10T00:00:00Z');
    const jan = Date.parse('2024-01-10T00:00:00Z');
    expect(iso(openFrom('stock', jul, jul + DAY))).toBe('2024-07-10T13:30:00.000Z');
    expect(iso(openFrom('stock', jan, jan + DAY))).toBe('2024-01-10T14:30:00.000Z');
  });

  it('and closes in the minute before 16:00 New York', () => {
    const end = Date.parse('2024-07-11T00:00:00Z');
    expect(iso(closeBefore('stock', end, end - DAY))).toBe('2024-07-10T19:59:00.000Z');
  });

  it('an open market, and crypto, trade at once', () => {
    const t = Date.parse('2024-07-10T15:00:00Z');
    expect(openFrom('stock', t, t + 3_600_000)).toBe(t);
    expect(openFrom('crypto', t - 12 * 3_600_000, t)).toBe(t - 12 * 3_600_000);
    expect(closeBefore('forex', t, t - DAY)).toBe(t);
  });

  it('forex shut for the weekend reopens Sunday 17:00 New York; no opening inside the span gives the span start', () => {
    const sun = Date.parse('2024-07-14T00:00:00Z');
    expect(iso(openFrom('forex', sun, sun + DAY))).toBe('2024-07-14T21:00:00.000Z');
    const sat = Date.parse('2024-07-13T00:00:00Z');
    expect(openFrom('stock', sat, sat + DAY)).toBe(sat);
  });

  it("an hourly stock bar closing with the market trades at the next session's first bar; a night bar followed by night does not; fills at the close meet the closed market", () => {
    const close = Date.parse('2024-07-10T20:00:00Z'); // 16:00 New York
    const next = Date.parse('2024-07-11T13:30:00Z');
    expect(backtestMarketStatus('stock', close, '1h', 'next_open', next)).toMatchObject({ isOpen: true, session: 'Next open' });
    expect(backtestMarketStatus('stock', close, '1h', 'close', next).isOpen).toBe(false);
    const night = Date.parse('2024-07-11T04:00:00Z');
    expect(backtestMarketStatus('stock', night, '1h', 'next_open', night).isOpen).toBe(false);
    expect(backtestMarketStatus('stock', night, '1h', 'next_open').isOpen).toBe(false);
    expect(backtestMarketStatus('stock', night, '1d', 'next_open').session).toBe('Next session');
  });
});
