import { describe, expect, it } from 'vitest';
import type { StoreContext } from './context.js';
import { breakerMemory, T0 } from './records.js';

export function breakersContract(ctx: StoreContext): void {
  describe('circuit breaker states', () => {
    it('save / load round-trip, replaced on save; list() every stored breaker by name', async () => {
      const s = await ctx.open();
      expect(await s.breakers.load('venue:paper')).toBeNull();
      expect(await s.breakers.list()).toEqual([]);
      const m = breakerMemory('venue:paper');
      await s.breakers.save(m);
      expect(await s.breakers.load('venue:paper')).toEqual(m);
      const closed = breakerMemory('venue:paper', { state: 'CLOSED', consecutiveFailures: 0, changedAt: T0 + 60_000, counters: { calls: 4, successes: 1, failures: 3, rejected: 2, opens: 1 }, lastError: null });
      await s.breakers.save(closed);
      expect(await s.breakers.load('venue:paper')).toEqual(closed);
      await s.breakers.save(breakerMemory('venue:live:oanda', { venue: 'oanda' }));
      await s.breakers.save(breakerMemory('venue:live:coinbase', { venue: null }));
      expect((await s.breakers.list()).map((x) => [x.name, x.venue])).toEqual([
        ['venue:live:coinbase', null],
        ['venue:live:oanda', 'oanda'],
        ['venue:paper', 'paper'],
      ]);
    });

    it('a state saved by one handle is what another loads (one CLI command after another)', async () => {
      const s = await ctx.open();
      const other = await ctx.other();
      if (!other) return;
      await s.breakers.save(breakerMemory('venue:live:oanda'));
      expect(await other.breakers.load('venue:live:oanda')).toEqual(breakerMemory('venue:live:oanda'));
      await other.breakers.save(breakerMemory('venue:live:oanda', { state: 'CLOSED' }));
      expect((await s.breakers.load('venue:live:oanda'))?.state).toBe('CLOSED');
    });
  });
}
