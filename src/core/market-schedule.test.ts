import { describe, expect, it } from 'vitest';
import { getMarketStatus } from './market-schedule.js';

const at = (iso: string) => Date.parse(iso);

describe('getMarketStatus', () => {
  it('crypto never closes', () => {
    expect(getMarketStatus('crypto', at('2024-12-28T12:00:00Z')).isOpen).toBe(true);
  });

  it('forex closes Friday 17:00 New York and reopens Sunday 17:00 (EST and EDT)', () => {
    // Winter (EST, UTC−5): Friday 17:00 NY = 22:00 UTC.
    expect(getMarketStatus('forex', at('2024-12-27T21:59:00Z')).isOpen).toBe(true);
    expect(getMarketStatus('forex', at('2024-12-27T22:00:00Z')).isOpen).toBe(false);
    expect(getMarketStatus('forex', at('2024-12-28T12:00:00Z')).isOpen).toBe(false);
    expect(getMarketStatus('forex', at('2024-12-29T21:59:00Z')).isOpen).toBe(false);
    expect(getMarketStatus('forex', at('2024-12-29T22:00:00Z')).isOpen).toBe(true);
    // Summer (EDT, UTC−4): Friday 17:00 NY = 21:00 UTC.
    expect(getMarketStatus('forex', at('2024-06-07T20:59:00Z')).isOpen).toBe(true);
    expect(getMarketStatus('forex', at('2024-06-07T21:00:00Z')).isOpen).toBe(false);
    expect(getMarketStatus('forex', at('2024-06-09T21:00:00Z')).isOpen).toBe(true);
  });

  it('US stocks trade 09:30–16:00 New York, Monday to Friday', () => {
    // 2024-06-05 is a Wednesday; EDT: 09:30 NY = 13:30 UTC, 16:00 NY = 20:00 UTC.
    expect(getMarketStatus('stock', at('2024-06-05T13:29:00Z')).isOpen).toBe(false);
    expect(getMarketStatus('stock', at('2024-06-05T13:30:00Z')).isOpen).toBe(true);
    expect(getMarketStatus('stock', at('2024-06-05T19:59:00Z')).isOpen).toBe(true);
    expect(getMarketStatus('stock', at('2024-06-05T20:00:00Z')).isOpen).toBe(false);
    expect(getMarketStatus('stock', at('2024-06-08T15:00:00Z'))).toMatchObject({ isOpen: false, session: 'Weekend' });
    // Winter: 09:30 NY = 14:30 UTC.
    expect(getMarketStatus('stock', at('2024-12-04T14:29:00Z')).isOpen).toBe(false);
    expect(getMarketStatus('stock', at('2024-12-04T14:30:00Z')).isOpen).toBe(true);
  });
});
