import { describe, expect, it } from 'vitest';
import { closedTradeFigures, tradePnl } from './trade.js';

describe('the one closed-trade builder', () => {
  it('long and short P&L after both fees, return on entry notional, holding time', () => {
    expect(closedTradeFigures({ side: 'long', units: 2, entryPrice: 100, exitPrice: 110, openedAt: 1000, closedAt: 4000, fees: 0.5 })).toEqual({ pnl: 19.5, returnFraction: 19.5 / 200, holdingMs: 3000 });
    expect(closedTradeFigures({ side: 'short', units: 2, entryPrice: 100, exitPrice: 110, openedAt: 1000, closedAt: 4000, fees: 0.5 }).pnl).toBe(-20.5);
  });
  it('no notional gives a zero return, and a clock running backwards no negative holding time', () => {
    expect(closedTradeFigures({ side: 'long', units: 0, entryPrice: 100, exitPrice: 110, openedAt: 5, closedAt: 1, fees: 0 })).toMatchObject({ returnFraction: 0, holdingMs: 0 });
  });
  it("signed and unsigned units give bit-identical P&L (the fast engine's tally and its trade list agree)", () => {
    for (const [u, e, x, f] of [
      [0.123456789, 101.37, 99.13, 0.0271],
      [3.3, 1.10423, 1.10977, 0.0009],
    ]) {
      expect(tradePnl('short', u, e, x, f)).toBe(-u * (x - e) - f);
      expect(tradePnl('long', u, e, x, f)).toBe(u * (x - e) - f);
    }
  });
});
