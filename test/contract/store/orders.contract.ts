import { describe, expect, it } from 'vitest';
import type { StoreContext } from './context.js';
import { adjustment, intent, T0 } from './records.js';

export function ordersContract(ctx: StoreContext): void {
  describe('order journal', () => {
    it('open() journals an intent in state INTENT with nothing filled; get() reads it back; unknown is null', async () => {
      const s = await ctx.open();
      const i = intent('c1');
      const r = await s.orders.open(i, T0);
      expect(r.created).toBe(true);
      expect(r.intent).toEqual({ ...i, state: 'INTENT', venueOrderId: null, filledUnits: '0', averagePrice: null, fees: '0', reason: null, createdAt: T0, updatedAt: T0, submittedAt: null });
      expect(await s.orders.get('c1')).toEqual(r.intent);
      expect(await s.orders.get('nope')).toBeNull();
    });

    it('the same client order id twice: one row, the first one, and created false the second time', async () => {
      const s = await ctx.open();
      const first = await s.orders.open(intent('c1', { units: '0.5' }), T0);
      const again = await s.orders.open(intent('c1', { units: '9', side: 'sell' }), T0 + 5);
      expect(again.created).toBe(false);
      expect(again.intent).toEqual(first.intent);
      expect(await s.orders.list({})).toHaveLength(1);
    });

    it('the same client order id opened from two handles at once: exactly one creates it', async () => {
      const s = await ctx.open();
      const other = (await ctx.other()) ?? s;
      const got = await Promise.all([s.orders.open(intent('c1', { units: '1' }), T0), other.orders.open(intent('c1', { units: '2' }), T0)]);
      expect(got.filter((g) => g.created)).toHaveLength(1);
      expect(got[0].intent).toEqual(got[1].intent);
    });

    it('claim() moves INTENT to SUBMITTING once; a second claim (or one of an unknown id) is refused', async () => {
      const s = await ctx.open();
      await s.orders.open(intent('c1'), T0);
      expect(await s.orders.claim('c1', T0 + 1)).toBe(true);
      expect(await s.orders.get('c1')).toMatchObject({ state: 'SUBMITTING', submittedAt: T0 + 1, updatedAt: T0 + 1 });
      expect(await s.orders.claim('c1', T0 + 2)).toBe(false);
      expect(await s.orders.claim('ghost', T0)).toBe(false);
    });

    it('two handles claiming the same intent at once: exactly one may send it', async () => {
      const s = await ctx.open();
      const other = (await ctx.other()) ?? s;
      await s.orders.open(intent('c1'), T0);
      const got = await Promise.all([s.orders.claim('c1', T0 + 1), other.orders.claim('c1', T0 + 1), s.orders.claim('c1', T0 + 1)]);
      expect(got.filter(Boolean)).toHaveLength(1);
    });

    it('update() sets only the given fields and returns the row; a final state (FILLED, REJECTED) is never overwritten; an unknown id throws', async () => {
      const s = await ctx.open();
      await s.orders.open(intent('c1'), T0);
      await s.orders.claim('c1', T0 + 1);
      const acc = await s.orders.update('c1', { state: 'ACCEPTED', venueOrderId: 'v1' }, T0 + 2);
      expect(acc).toMatchObject({ state: 'ACCEPTED', venueOrderId: 'v1', filledUnits: '0', submittedAt: T0 + 1, updatedAt: T0 + 2, reason: null });
      const filled = await s.orders.update('c1', { state: 'FILLED', filledUnits: '0.5', averagePrice: '42000.5', fees: '1.05' }, T0 + 3);
      expect(filled).toMatchObject({ state: 'FILLED', venueOrderId: 'v1', filledUnits: '0.5', averagePrice: '42000.5', fees: '1.05', updatedAt: T0 + 3 });
      const late = await s.orders.update('c1', { state: 'UNKNOWN', reason: 'timeout', filledUnits: '0' }, T0 + 4);
      expect(late).toEqual(filled);
      await s.orders.open(intent('c2'), T0);
      await s.orders.update('c2', { state: 'REJECTED', reason: 'insufficient funds' }, T0 + 1);
      expect((await s.orders.update('c2', { state: 'FILLED', filledUnits: '0.5' }, T0 + 2)).state).toBe('REJECTED');
      await expect(s.orders.update('ghost', { state: 'FILLED' }, T0)).rejects.toThrow();
    });

    it('unsettled(account): INTENT, SUBMITTING, UNKNOWN and ACCEPTED of that account, oldest first', async () => {
      const s = await ctx.open();
      await s.orders.open(intent('a'), T0 + 4);
      await s.orders.open(intent('b'), T0 + 1);
      await s.orders.open(intent('c'), T0 + 2);
      await s.orders.open(intent('d'), T0 + 3);
      await s.orders.open(intent('e'), T0 + 5);
      await s.orders.open(intent('f'), T0);
      await s.orders.open(intent('live1', { account: 'live' }), T0);
      await s.orders.claim('b', T0 + 10);
      await s.orders.update('c', { state: 'UNKNOWN', reason: 'timeout' }, T0 + 10);
      await s.orders.update('d', { state: 'ACCEPTED' }, T0 + 10);
      await s.orders.update('e', { state: 'FILLED', filledUnits: '0.5' }, T0 + 10);
      await s.orders.update('f', { state: 'REJECTED' }, T0 + 10);
      expect((await s.orders.unsettled('paper')).map((i) => i.clientOrderId)).toEqual(['b', 'c', 'd', 'a']);
      expect((await s.orders.unsettled('live')).map((i) => i.clientOrderId)).toEqual(['live1']);
      expect(await s.orders.unsettled('nobody')).toEqual([]);
    });

    it('list(): newest first, by account and by decision, at most limit', async () => {
      const s = await ctx.open();
      await s.orders.open(intent('a', { decisionId: 'D1' }), T0);
      await s.orders.open(intent('b', { decisionId: 'D2' }), T0 + 1);
      await s.orders.open(intent('c', { decisionId: 'D1', account: 'live' }), T0 + 2);
      expect((await s.orders.list({})).map((i) => i.clientOrderId)).toEqual(['c', 'b', 'a']);
      expect((await s.orders.list({ account: 'paper' })).map((i) => i.clientOrderId)).toEqual(['b', 'a']);
      expect((await s.orders.list({ decisionId: 'D1' })).map((i) => i.clientOrderId)).toEqual(['c', 'a']);
      expect((await s.orders.list({ account: 'paper', decisionId: 'D1' })).map((i) => i.clientOrderId)).toEqual(['a']);
      expect((await s.orders.list({ limit: 1 })).map((i) => i.clientOrderId)).toEqual(['c']);
    });

    it('netPositions(): signed filled units per pair plus adjustments, exact decimals, flat pairs left out', async () => {
      const s = await ctx.open();
      const fill = async (id: string, side: 'buy' | 'sell', units: string, pair = 'BTCUSD', account = 'paper') => {
        await s.orders.open(intent(id, { side, pair, account }), T0);
        await s.orders.update(id, { state: 'FILLED', filledUnits: units }, T0);
      };
      expect(await s.orders.netPositions('paper')).toEqual({});
      await fill('a', 'buy', '0.3');
      await fill('b', 'buy', '0.1');
      await fill('c', 'sell', '0.15');
      await fill('d', 'buy', '2', 'ETHUSD');
      await fill('e', 'sell', '2', 'ETHUSD');
      await fill('f', 'buy', '7', 'BTCUSD', 'live');
      await s.orders.open(intent('g', { units: '5' }), T0); // not filled: not a position
      expect(await s.orders.netPositions('paper')).toEqual({ BTCUSD: '0.25' });
      expect(await s.orders.adjust(adjustment('adj1', { units: '-0.05' }))).toBe(true);
      expect(await s.orders.adjust(adjustment('adj2', { pair: 'SOLUSD', units: '3' }))).toBe(true);
      expect(await s.orders.netPositions('paper')).toEqual({ BTCUSD: '0.2', SOLUSD: '3' });
      expect(await s.orders.netPositions('live')).toEqual({ BTCUSD: '7' });
    });

    it("adjust() is idempotent by id; adjustmentIds(account) lists that account's ids", async () => {
      const s = await ctx.open();
      expect(await s.orders.adjustmentIds('paper')).toEqual(new Set());
      expect(await s.orders.adjust(adjustment('adj1'))).toBe(true);
      expect(await s.orders.adjust(adjustment('adj1', { units: '99' }))).toBe(false);
      expect(await s.orders.adjust(adjustment('adj2', { account: 'live' }))).toBe(true);
      expect(await s.orders.adjustmentIds('paper')).toEqual(new Set(['adj1']));
      expect(await s.orders.adjustmentIds('live')).toEqual(new Set(['adj2']));
      expect(await s.orders.netPositions('paper')).toEqual({ BTCUSD: '0.1' });
    });
  });
}
