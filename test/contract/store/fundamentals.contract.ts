import { describe, expect, it } from 'vitest';
import type { StoreContext } from './context.js';
import { fundamental } from './records.js';

const at = (iso: string) => Date.parse(iso);

export function fundamentalsContract(ctx: StoreContext): void {
  describe('fundamentals', () => {
    it('a record is visible from its visibleFrom instant on, not a millisecond before', async () => {
      const s = await ctx.open();
      const q3 = fundamental('IBM', 'earnings_quarterly', '2024-09-30', { reportedDate: '2024-10-23', visibleFrom: at('2024-10-23T22:00:00Z') });
      expect(await s.fundamentals.save([q3])).toBe(1);
      expect(await s.fundamentals.visible('IBM', at('2024-10-23T21:59:59.999Z'))).toEqual([]);
      expect(await s.fundamentals.visible('IBM', at('2024-10-23T22:00:00Z'))).toEqual([q3]);
      // Symbols are stored and asked for in upper case.
      expect(await s.fundamentals.visible('ibm', at('2025-01-01T00:00:00Z'))).toEqual([q3]);
      expect(await s.fundamentals.visible('MSFT', at('2025-01-01T00:00:00Z'))).toEqual([]);
    });

    it('visible(): kinds in declared order, newest period first; narrowed by kinds; save replaces by (symbol, kind, period end)', async () => {
      const s = await ctx.open();
      const recs = [
        fundamental('IBM', 'income_quarterly', '2024-06-30'),
        fundamental('IBM', 'earnings_quarterly', '2024-06-30'),
        fundamental('IBM', 'overview', '2024-12-01T10:00:00.000Z', { visibleFrom: at('2024-12-01T10:00:00Z') }),
        fundamental('IBM', 'earnings_quarterly', '2024-09-30'),
        fundamental('IBM', 'income_annual', '2023-12-31'),
        fundamental('AAPL', 'earnings_quarterly', '2024-09-30'),
      ];
      expect(await s.fundamentals.save(recs)).toBe(6);
      const got = await s.fundamentals.visible('IBM', at('2025-01-01T00:00:00Z'));
      expect(got.map((r) => `${r.kind} ${r.periodEnd}`)).toEqual([
        'earnings_quarterly 2024-09-30',
        'earnings_quarterly 2024-06-30',
        'income_quarterly 2024-06-30',
        'income_annual 2023-12-31',
        'overview 2024-12-01T10:00:00.000Z',
      ]);
      expect((await s.fundamentals.visible('IBM', at('2025-01-01T00:00:00Z'), ['income_quarterly', 'income_annual'])).map((r) => r.kind)).toEqual(['income_quarterly', 'income_annual']);
      expect(await s.fundamentals.visible('IBM', at('2025-01-01T00:00:00Z'), [])).toEqual([]);

      const revised = fundamental('IBM', 'earnings_quarterly', '2024-09-30', { values: { reportedEps: 2.31 }, fetchedAt: at('2025-02-01T00:00:00Z'), reportedDate: '2024-10-23' });
      await s.fundamentals.save([revised]);
      const after = await s.fundamentals.visible('IBM', at('2025-03-01T00:00:00Z'), ['earnings_quarterly']);
      expect(after).toEqual([revised, recs[1]]);
      expect(await s.fundamentals.symbols()).toEqual([
        { symbol: 'AAPL', records: 1, lastFetchedAt: recs[5].fetchedAt },
        { symbol: 'IBM', records: 5, lastFetchedAt: at('2025-02-01T00:00:00Z') },
      ]);
      expect(await s.fundamentals.save([])).toBe(0);
    });

    it('a save is all or none: a large batch whose last record the database refuses leaves nothing of it', async () => {
      const s = await ctx.open();
      // More records than one INSERT carries, so the refused one is in a later statement than the first rows.
      const many = Array.from({ length: 1200 }, (_, i) => fundamental('IBM', 'income_quarterly', new Date(Date.UTC(1900, 0, 1) + i * 86_400_000).toISOString().slice(0, 10)));
      many.push({ ...many[0], periodEnd: '2030-01-01', source: null as unknown as string });
      const err = await s.fundamentals.save(many).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect(await s.fundamentals.symbols()).toEqual([]);
      expect(await s.fundamentals.save(many.slice(0, 1200))).toBe(1200);
      expect(await s.fundamentals.symbols()).toEqual([{ symbol: 'IBM', records: 1200, lastFetchedAt: many[0].fetchedAt }]);
    });

    it('what one handle saves another reads (a fetch command, then the agent)', async () => {
      const s = await ctx.open();
      const other = await ctx.other();
      if (!other) return;
      const r = fundamental('IBM', 'income_quarterly', '2024-09-30');
      await s.fundamentals.save([r]);
      expect(await other.fundamentals.visible('IBM', r.visibleFrom)).toEqual([r]);
    });
  });
}
