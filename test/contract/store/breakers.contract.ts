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

    it('counters saved alone (saveCounters, where the store has it) are stored by the next transaction at the latest, never over a later save', async () => {
      const s = await ctx.open();
      const counters = (m: ReturnType<typeof breakerMemory>) => (s.breakers.saveCounters ? s.breakers.saveCounters(m) : s.breakers.save(m));
      await s.breakers.save(breakerMemory('venue:paper'));
      const busier = breakerMemory('venue:paper', { counters: { calls: 9, successes: 6, failures: 3, rejected: 0, opens: 1 } });
      await counters(busier);
      await s.transaction(async () => undefined);
      expect(await s.breakers.load('venue:paper')).toEqual(busier);
      await counters(breakerMemory('venue:paper', { counters: { calls: 10, successes: 7, failures: 3, rejected: 0, opens: 1 } }));
      const closed = breakerMemory('venue:paper', { state: 'CLOSED', consecutiveFailures: 0, changedAt: T0 + 1, counters: { calls: 11, successes: 8, failures: 3, rejected: 0, opens: 1 }, lastError: null });
      await s.breakers.save(closed);
      await s.transaction(async () => undefined);
      expect(await s.breakers.load('venue:paper')).toEqual(closed);
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
