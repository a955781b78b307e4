import { describe, expect, it } from 'vitest';
import type { StoreContext } from './context.js';
import { outcome, T0, weightChange } from './records.js';

const H = 3_600_000;

export function memoryContract(ctx: StoreContext): void {
  describe('memory (outcomes, weight changes)', () => {
    it('addOutcome stores each trade once (false the second time); outcomes round-trip whole with their votes', async () => {
      const s = await ctx.open();
      const o = outcome('t1');
      expect(await s.memory.addOutcome(o)).toBe(true);
      expect(await s.memory.addOutcome({ ...outcome('t1'), id: 'other-id', pnl: -99 })).toBe(false);
      expect(await s.memory.outcomes()).toEqual([o]);
    });

    it('the same trade added from two handles at once is stored once', async () => {
      const s = await ctx.open();
      const other = (await ctx.other()) ?? s;
      const got = await Promise.all([s.memory.addOutcome(outcome('t1')), other.memory.addOutcome({ ...outcome('t1'), id: 'x2' })]);
      expect(got.filter(Boolean)).toHaveLength(1);
      expect(await s.memory.outcomes()).toHaveLength(1);
    });

    it('outcomes(): oldest first by close time, by pair and regime, limit keeps the most recent', async () => {
      const s = await ctx.open();
      await s.memory.addOutcome(outcome('t3', { closedAt: T0 + 3 * H, pair: 'ETHUSD' }));
      await s.memory.addOutcome(outcome('t1', { closedAt: T0 + 1 * H }));
      await s.memory.addOutcome(outcome('t2', { closedAt: T0 + 2 * H, regime: 'RANGING' }));
      await s.memory.addOutcome(outcome('t4', { closedAt: T0 + 4 * H, regime: 'RANGING', pair: 'ETHUSD' }));
      const ids = async (q?: Parameters<typeof s.memory.outcomes>[0]) => (await s.memory.outcomes(q)).map((o) => o.tradeId);
      expect(await ids()).toEqual(['t1', 't2', 't3', 't4']);
      expect(await ids({ pair: 'ETHUSD' })).toEqual(['t3', 't4']);
      expect(await ids({ regime: 'RANGING' })).toEqual(['t2', 't4']);
      expect(await ids({ pair: 'ETHUSD', regime: 'RANGING' })).toEqual(['t4']);
      expect(await ids({ limit: 2 })).toEqual(['t3', 't4']);
      expect(await ids({ pair: 'BTCUSD', limit: 1 })).toEqual(['t2']);
      expect(await ids({ pair: 'XAUUSD' })).toEqual([]);
    });

    it('weight changes: appended in order, per scope, the latest per scope', async () => {
      const s = await ctx.open();
      expect(await s.memory.weightChanges()).toEqual([]);
      expect(await s.memory.latestWeights('all')).toBeNull();
      // Appended order, not time order, is the audit trail's order.
      const a = weightChange('w1', { at: T0 + 50 });
      const b = weightChange('w2', { at: T0, scope: 'RANGING', weights: { rules: 0.2, llama: 0.8 } });
      const c = weightChange('w3', { at: T0 + 10, previous: a.weights, weights: { rules: 0.7, llama: 0.3 } });
      for (const w of [a, b, c]) await s.memory.addWeightChange(w);
      expect(await s.memory.weightChanges()).toEqual([a, b, c]);
      expect(await s.memory.weightChanges('all')).toEqual([a, c]);
      expect(await s.memory.weightChanges('TRENDING_UP')).toEqual([]);
      expect(await s.memory.latestWeights('all')).toEqual(c);
      expect(await s.memory.latestWeights('RANGING')).toEqual(b);
    });

    it('weight changes from two handles keep one total order, each seen once', async () => {
      const s = await ctx.open();
      const other = (await ctx.other()) ?? s;
      await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? other : s).memory.addWeightChange(weightChange(`w${i}`))));
      const seen = await s.memory.weightChanges();
      expect(seen.map((w) => w.id).sort()).toEqual(['w0', 'w1', 'w2', 'w3', 'w4', 'w5']);
      expect(await other.memory.weightChanges()).toEqual(seen);
      expect(await s.memory.latestWeights('all')).toEqual(seen[5]);
    });
  });
}
