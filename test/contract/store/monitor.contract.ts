import { describe, expect, it } from 'vitest';
import type { StoreContext } from './context.js';
import { metrics, T0, tracker } from './records.js';

const H = 3_600_000;

export function monitorContract(ctx: StoreContext): void {
  describe('monitor (trackers, trade metrics) and close reasons', () => {
    it('trackers: saved (insert or replace by key), listed by opening time, removed by key', async () => {
      const s = await ctx.open();
      expect(await s.monitor.trackers()).toEqual([]);
      await s.monitor.saveTracker(tracker('k2', { openedAt: T0 + 2 }));
      await s.monitor.saveTracker(tracker('k1', { openedAt: T0 + 1, pair: 'ETHUSD', tracked: false }));
      await s.monitor.saveTracker(tracker('k2', { openedAt: T0 + 2, mfe: 0.09, lastPrice: 109 }));
      expect(await s.monitor.trackers()).toEqual([tracker('k1', { openedAt: T0 + 1, pair: 'ETHUSD', tracked: false }), tracker('k2', { openedAt: T0 + 2, mfe: 0.09, lastPrice: 109 })]);
      await s.monitor.removeTracker('k1');
      await s.monitor.removeTracker('ghost');
      expect((await s.monitor.trackers()).map((t) => t.key)).toEqual(['k2']);
    });

    it('addMetrics stores each trade once; metrics() oldest first by close time, by pair, since (inclusive), limit keeps the most recent', async () => {
      const s = await ctx.open();
      expect(await s.monitor.addMetrics(metrics('t2', { closedAt: T0 + 2 * H, pair: 'ETHUSD' }))).toBe(true);
      expect(await s.monitor.addMetrics(metrics('t1', { closedAt: T0 + 1 * H }))).toBe(true);
      expect(await s.monitor.addMetrics(metrics('t3', { closedAt: T0 + 3 * H, mfe: null, mae: null }))).toBe(true);
      expect(await s.monitor.addMetrics(metrics('t1', { id: 'dup', pnl: -5 }))).toBe(false);
      const ids = async (q?: Parameters<typeof s.monitor.metrics>[0]) => (await s.monitor.metrics(q)).map((m) => m.tradeId);
      expect(await s.monitor.metrics()).toEqual([metrics('t1', { closedAt: T0 + 1 * H }), metrics('t2', { closedAt: T0 + 2 * H, pair: 'ETHUSD' }), metrics('t3', { closedAt: T0 + 3 * H, mfe: null, mae: null })]);
      expect(await ids({ pair: 'BTCUSD' })).toEqual(['t1', 't3']);
      expect(await ids({ since: T0 + 2 * H })).toEqual(['t2', 't3']);
      expect(await ids({ limit: 2 })).toEqual(['t2', 't3']);
      expect(await ids({ pair: 'BTCUSD', since: T0, limit: 1 })).toEqual(['t3']);
    });

    it('unlearned(): metrics not yet marked learned, oldest first; markLearned is idempotent', async () => {
      const s = await ctx.open();
      await s.monitor.addMetrics(metrics('t2', { closedAt: T0 + 2 * H }));
      await s.monitor.addMetrics(metrics('t1', { closedAt: T0 + 1 * H }));
      await s.monitor.addMetrics(metrics('t3', { closedAt: T0 + 3 * H }));
      expect((await s.monitor.unlearned()).map((m) => m.tradeId)).toEqual(['t1', 't2', 't3']);
      await s.monitor.markLearned('t2');
      await s.monitor.markLearned('t2');
      await s.monitor.markLearned('ghost');
      expect((await s.monitor.unlearned()).map((m) => m.tradeId)).toEqual(['t1', 't3']);
      // Learned metrics stay in the history.
      expect(await s.monitor.metrics()).toHaveLength(3);
    });

    it('close reasons: the first reason recorded for a client order id stays; unknown is null', async () => {
      const s = await ctx.open();
      expect(await s.closeReasons.reasonOf('c1')).toBeNull();
      await s.closeReasons.record('c1', 'kill_switch', T0);
      await s.closeReasons.record('c1', 'manual', T0 + 1);
      await s.closeReasons.record('c2', 'max_hold', T0);
      expect(await s.closeReasons.reasonOf('c1')).toBe('kill_switch');
      expect(await s.closeReasons.reasonOf('c2')).toBe('max_hold');
    });
  });
}
