import { describe, expect, it } from 'vitest';
import type { StoreContext } from './context.js';
import { snapshot } from './records.js';

export function equityContract(ctx: StoreContext): void {
  describe('equity snapshots', () => {
    it('record / recordMany, then range(account, from, to) with both ends included, oldest first, per account', async () => {
      const s = await ctx.open();
      await s.equity.record(snapshot(300, '10100.5'));
      await s.equity.recordMany([snapshot(100, '10000'), snapshot(200, '9950.25'), snapshot(150, '5', 'live')]);
      expect(await s.equity.range('paper', 100, 300)).toEqual([snapshot(100, '10000'), snapshot(200, '9950.25'), snapshot(300, '10100.5')]);
      expect((await s.equity.range('paper', 101, 299)).map((x) => x.at)).toEqual([200]);
      expect(await s.equity.range('live', 0, 1000)).toEqual([snapshot(150, '5', 'live')]);
      expect(await s.equity.range('paper', 400, 500)).toEqual([]);
      await s.equity.recordMany([]);
      expect(await s.equity.range('paper', 0, 1000)).toHaveLength(3);
    });

    it('recordMany stores a large batch whole (a backtest writes one per bar)', async () => {
      const s = await ctx.open();
      const many = Array.from({ length: 2500 }, (_, i) => snapshot(i, String(10_000 + i)));
      await s.equity.recordMany(many);
      const got = await s.equity.range('paper', 0, 10_000);
      expect(got).toHaveLength(2500);
      expect(got[2499]).toEqual(many[2499]);
    });

    it('landmarks: the numerically highest equity in the window (earliest of equal peaks), and the day open (last before dayStart, else first after)', async () => {
      const s = await ctx.open();
      // As text "9999" > "10000"; the peak must compare numbers.
      await s.equity.recordMany([snapshot(10, '9999'), snapshot(20, '10000'), snapshot(30, '10000'), snapshot(40, '9000.5'), snapshot(50, '9500'), snapshot(25, '99999', 'live')]);
      const l = await s.equity.landmarks('paper', 0, 100, 35);
      expect(l.peak).toEqual(snapshot(20, '10000'));
      expect(l.dayOpen).toEqual(snapshot(30, '10000'));
      // Nothing before the day start in the window: the first at or after it.
      expect((await s.equity.landmarks('paper', 35, 100, 35)).dayOpen).toEqual(snapshot(40, '9000.5'));
      expect((await s.equity.landmarks('paper', 35, 100, 35)).peak).toEqual(snapshot(50, '9500'));
      // The window bounds both.
      expect(await s.equity.landmarks('paper', 60, 100, 70)).toEqual({ peak: null, dayOpen: null });
      expect((await s.equity.landmarks('live', 0, 100, 0)).peak?.equity).toBe('99999');
    });
  });
}
