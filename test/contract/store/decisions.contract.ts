import { describe, expect, it } from 'vitest';
import { decisionSummary } from '../../../src/core/decision.js';
import type { StoreContext } from './context.js';
import { decision, T0 } from './records.js';

const MIN = 60_000;

export function decisionsContract(ctx: StoreContext): void {
  describe('decisions', () => {
    it('round-trips a decision whole; an unknown id is null', async () => {
      const s = await ctx.open();
      const d = decision('D1');
      await s.decisions.save(d);
      expect(await s.decisions.get('D1')).toEqual(d);
      expect(await s.decisions.get('nope')).toBeNull();
    });

    it('lists newest first (by creation time), filtered by pair, at most limit', async () => {
      const s = await ctx.open();
      await s.decisions.save(decision('A', { pair: 'BTCUSD', createdAt: T0 }));
      await s.decisions.save(decision('C', { pair: 'BTCUSD', createdAt: T0 + 2 * MIN }));
      await s.decisions.save(decision('B', { pair: 'ETHUSD', createdAt: T0 + MIN }));
      expect((await s.decisions.list()).map((d) => d.id)).toEqual(['C', 'B', 'A']);
      expect((await s.decisions.list({ assetPair: 'BTCUSD' })).map((d) => d.id)).toEqual(['C', 'A']);
      expect((await s.decisions.list({ limit: 2 })).map((d) => d.id)).toEqual(['C', 'B']);
      expect((await s.decisions.list({ assetPair: 'BTCUSD', limit: 1 })).map((d) => d.id)).toEqual(['C']);
      expect(await s.decisions.list({ assetPair: 'XAUUSD' })).toEqual([]);
    });

    it('pages newest first with a keyset (createdAt, id) cursor: ties on the creation time break by id, nothing repeats or is skipped', async () => {
      const s = await ctx.open();
      for (const [id, at, pair] of [
        ['A', 0, 'BTCUSD'],
        ['B', 1, 'BTCUSD'],
        ['C', 1, 'ETHUSD'],
        ['D', 1, 'BTCUSD'],
        ['E', 2, 'BTCUSD'],
      ] as const)
        await s.decisions.save(decision(id, { pair, createdAt: T0 + at * MIN }));
      const at = (m: number) => new Date(T0 + m * MIN).toISOString();
      expect((await s.decisions.list({ limit: 2 })).map((d) => d.id)).toEqual(['E', 'D']);
      expect((await s.decisions.list({ limit: 2, before: { createdAt: at(1), id: 'D' } })).map((d) => d.id)).toEqual(['C', 'B']);
      expect((await s.decisions.list({ limit: 2, before: { createdAt: at(1), id: 'B' } })).map((d) => d.id)).toEqual(['A']);
      expect((await s.decisions.list({ assetPair: 'BTCUSD', before: { createdAt: at(1), id: 'D' } })).map((d) => d.id)).toEqual(['B', 'A']);
      expect(await s.decisions.list({ before: { createdAt: at(0), id: 'A' } })).toEqual([]);
    });

    it('saving the same id again replaces the record (one row per decision)', async () => {
      const s = await ctx.open();
      await s.decisions.save(decision('D1', { action: 'BUY' }));
      await s.decisions.save(decision('D1', { action: 'SELL' }));
      expect((await s.decisions.get('D1'))?.action).toBe('SELL');
      expect(await s.decisions.list()).toHaveLength(1);
    });

    it('markExecuted flags the decision and keeps what happened in its metadata; repeating it is harmless; an unknown id is a no-op', async () => {
      const s = await ctx.open();
      const d = decision('D1');
      await s.decisions.save(d);
      await s.decisions.markExecuted('D1', { clientOrderId: 'c1', status: 'filled' });
      await s.decisions.markExecuted('D1', { clientOrderId: 'c1', status: 'filled' });
      const got = (await s.decisions.get('D1'))!;
      expect(got.executed).toBe(true);
      expect(got.metadata).toEqual({ ...d.metadata, execution: { clientOrderId: 'c1', status: 'filled' } });
      expect((await s.decisions.list())[0].executed).toBe(true);
      await s.decisions.markExecuted('ghost', { x: 1 });
      expect(await s.decisions.get('ghost')).toBeNull();
    });

    it('summaries are list().map(decisionSummary) for every query, executed flag included', async () => {
      const s = await ctx.open();
      for (const [id, at, pair] of [
        ['A', 0, 'BTCUSD'],
        ['B', 1, 'ETHUSD'],
        ['C', 1, 'BTCUSD'],
        ['D', 2, 'BTCUSD'],
      ] as const)
        await s.decisions.save(decision(id, { pair, createdAt: T0 + at * MIN }));
      await s.decisions.markExecuted('C', { status: 'filled' });
      const before = { createdAt: new Date(T0 + MIN).toISOString(), id: 'C' };
      for (const q of [{}, { limit: 2 }, { assetPair: 'BTCUSD' }, { before }, { assetPair: 'BTCUSD', before, limit: 1 }]) {
        const want = (await s.decisions.list(q)).map(decisionSummary);
        expect(want.length, JSON.stringify(q)).toBeGreaterThan(0);
        expect(await s.decisions.summaries(q), JSON.stringify(q)).toEqual(want);
      }
      expect((await s.decisions.summaries()).find((d) => d.id === 'C')?.executed).toBe(true);
      expect(await s.decisions.summaries({ assetPair: 'XAUUSD' })).toEqual([]);
    });
  });
}
