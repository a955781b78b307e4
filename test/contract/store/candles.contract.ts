import { describe, expect, it } from 'vitest';
import type { StoreContext } from './context.js';
import { bars, T0 } from './records.js';

const H = 3_600_000;

export function candlesContract(ctx: StoreContext): void {
  describe('candles', () => {
    it('imports a series and reads it back oldest first, with its summary in series()', async () => {
      const s = await ctx.open();
      expect(await s.candles.series()).toEqual([]);
      const b = bars(T0, 5);
      expect(await s.candles.importSeries('BTCUSD', '1h', b, 'file.csv')).toEqual({ inserted: 5 });
      expect(await s.candles.range('BTCUSD', '1h', {})).toEqual(b);
      const [info] = await s.candles.series();
      expect(info).toMatchObject({ pair: 'BTCUSD', timeframe: '1h', source: 'file.csv', first: T0, last: T0 + 4 * H, bars: 5 });
      expect(Number.isNaN(Date.parse(info.importedAt))).toBe(false);
    });

    it('range(): open time in [from, to), limit keeps the most recent; pairs and timeframes are separate', async () => {
      const s = await ctx.open();
      const b = bars(T0, 10);
      await s.candles.importSeries('BTCUSD', '1h', b, 'a');
      await s.candles.importSeries('ETHUSD', '1h', bars(T0, 3, 10), 'b');
      await s.candles.importSeries('BTCUSD', '1d', bars(T0, 2, 500), 'c');
      expect(await s.candles.range('BTCUSD', '1h', { from: T0 + 2 * H, to: T0 + 5 * H })).toEqual(b.slice(2, 5));
      expect(await s.candles.range('BTCUSD', '1h', { limit: 3 })).toEqual(b.slice(7));
      expect(await s.candles.range('BTCUSD', '1h', { to: T0 + 5 * H, limit: 2 })).toEqual(b.slice(3, 5));
      expect(await s.candles.range('BTCUSD', '1h', { from: T0 + 100 * H })).toEqual([]);
      expect(await s.candles.range('XAUUSD', '1h', {})).toEqual([]);
      expect((await s.candles.range('BTCUSD', '1d', {})).map((c) => c.open)).toEqual([500, 501]);
      expect((await s.candles.series()).map((x) => `${x.pair}/${x.timeframe}/${x.bars}`)).toEqual(expect.arrayContaining(['BTCUSD/1h/10', 'ETHUSD/1h/3', 'BTCUSD/1d/2']));
    });

    it('columns(), where a store has it: the bars of range() without a limit, as typed columns', async () => {
      const s = await ctx.open();
      if (!s.candles.columns) return;
      const b = bars(T0, 10);
      await s.candles.importSeries('BTCUSD', '1h', b, 'a');
      await s.candles.importSeries('ETHUSD', '1h', bars(T0, 3, 10), 'b');
      const all = await s.candles.columns('BTCUSD', '1h', {});
      expect(all.length).toBe(10);
      expect(Array.from(all.timestamp)).toEqual(b.map((k) => k.timestamp));
      expect(Array.from(all.close)).toEqual(b.map((k) => k.close));
      expect(Array.from(all.volume)).toEqual(b.map((k) => k.volume));
      const part = await s.candles.columns('BTCUSD', '1h', { from: T0 + 2 * H, to: T0 + 5 * H });
      expect(Array.from(part.open)).toEqual(b.slice(2, 5).map((k) => k.open));
      expect((await s.candles.columns('XAUUSD', '1h', {})).length).toBe(0);
    });

    it('columns() of a series longer than one read batch (25,000 bars): every bar once, in order, as range() has them', async () => {
      const s = await ctx.open();
      if (!s.candles.columns) return;
      const b = bars(T0, 25_000);
      await s.candles.importSeries('BTCUSD', '1h', b, 'long');
      const all = await s.candles.columns('BTCUSD', '1h', {});
      expect(all.length).toBe(b.length);
      expect(Array.from(all.timestamp)).toEqual(b.map((k) => k.timestamp));
      expect(Array.from(all.high)).toEqual(b.map((k) => k.high));
      expect(Array.from(all.low)).toEqual(b.map((k) => k.low));
      // A window across batch boundaries: open time in [from, to).
      const part = await s.candles.columns('BTCUSD', '1h', { from: T0 + 9_999 * H, to: T0 + 20_001 * H });
      expect(Array.from(part.timestamp)).toEqual(b.slice(9_999, 20_001).map((k) => k.timestamp));
      expect(Array.from(part.open)).toEqual(b.slice(9_999, 20_001).map((k) => k.open));
    });

    it('a re-import replaces the bars of the range it covers and keeps the others', async () => {
      const s = await ctx.open();
      await s.candles.importSeries('BTCUSD', '1h', bars(T0, 10), 'first');
      const fix = bars(T0 + 3 * H, 3, 900);
      expect(await s.candles.importSeries('BTCUSD', '1h', fix, 'second')).toEqual({ inserted: 3 });
      const all = await s.candles.range('BTCUSD', '1h', {});
      expect(all).toHaveLength(10);
      expect(all.slice(3, 6)).toEqual(fix);
      expect(all[2].open).toBe(102);
      expect(all[6].open).toBe(106);
      expect((await s.candles.series())[0]).toMatchObject({ source: 'second', bars: 10 });
    });

    it('an import is all or nothing: a bad batch (a duplicate bar) leaves the stored series as it was', async () => {
      const s = await ctx.open();
      const b = bars(T0, 4);
      await s.candles.importSeries('BTCUSD', '1h', b, 'ok');
      const bad = [...bars(T0 + 2 * H, 3, 700), bars(T0 + 2 * H, 1, 800)[0]];
      await expect(s.candles.importSeries('BTCUSD', '1h', bad, 'bad')).rejects.toThrow();
      expect(await s.candles.range('BTCUSD', '1h', {})).toEqual(b);
      expect((await s.candles.series())[0]).toMatchObject({ source: 'ok', bars: 4 });
    });

    it('an empty import inserts nothing and creates no series', async () => {
      const s = await ctx.open();
      expect(await s.candles.importSeries('BTCUSD', '1h', [], 'empty')).toEqual({ inserted: 0 });
      expect(await s.candles.series()).toEqual([]);
    });

    it('an import through another handle shows in series() here', async () => {
      const s = await ctx.open();
      const other = await ctx.other();
      if (!other) return;
      await s.candles.importSeries('BTCUSD', '1h', bars(T0, 2), 'here');
      expect(await s.candles.series()).toHaveLength(1);
      await other.candles.importSeries('ETHUSD', '1h', bars(T0, 2), 'there');
      expect((await s.candles.series()).map((x) => x.pair).sort()).toEqual(['BTCUSD', 'ETHUSD']);
    });
  });
}
