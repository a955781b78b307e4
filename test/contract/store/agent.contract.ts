import { describe, expect, it } from 'vitest';
import type { StoreContext } from './context.js';
import { approval, T0 } from './records.js';

export function agentContract(ctx: StoreContext): void {
  describe('approvals', () => {
    it('add / get round-trip; one approval per decision (a second for the same decision is ignored)', async () => {
      const s = await ctx.open();
      const a = approval('a1');
      await s.approvals.add(a);
      await s.approvals.add(approval('a2', { decisionId: a.decisionId, summary: 'again' }));
      expect(await s.approvals.get('a1')).toEqual(a);
      expect(await s.approvals.get('a2')).toBeNull();
      expect(await s.approvals.list()).toEqual([a]);
    });

    it('list(): newest first, by status, expired by a time (inclusive), at most limit', async () => {
      const s = await ctx.open();
      await s.approvals.add(approval('a1', { createdAt: T0 + 1, expiresAt: T0 + 100 }));
      await s.approvals.add(approval('a3', { createdAt: T0 + 3, expiresAt: T0 + 300 }));
      await s.approvals.add(approval('a2', { createdAt: T0 + 2, expiresAt: T0 + 200 }));
      await s.approvals.decide('a2', 'rejected', T0 + 5, 'no');
      const ids = async (q?: Parameters<typeof s.approvals.list>[0]) => (await s.approvals.list(q)).map((a) => a.id);
      expect(await ids()).toEqual(['a3', 'a2', 'a1']);
      expect(await ids({ status: 'pending' })).toEqual(['a3', 'a1']);
      expect(await ids({ status: 'rejected' })).toEqual(['a2']);
      expect(await ids({ expiredBy: T0 + 200 })).toEqual(['a2', 'a1']);
      expect(await ids({ status: 'pending', expiredBy: T0 + 200 })).toEqual(['a1']);
      expect(await ids({ limit: 1 })).toEqual(['a3']);
    });

    it('decide(): only a pending approval moves, once, with when and why; unknown ids are false', async () => {
      const s = await ctx.open();
      await s.approvals.add(approval('a1'));
      expect(await s.approvals.decide('a1', 'approved', T0 + 5, 'looks right')).toBe(true);
      expect(await s.approvals.get('a1')).toEqual(approval('a1', { status: 'approved', decidedAt: T0 + 5, note: 'looks right' }));
      expect(await s.approvals.decide('a1', 'rejected', T0 + 6, null)).toBe(false);
      expect((await s.approvals.get('a1'))?.status).toBe('approved');
      expect(await s.approvals.decide('ghost', 'expired', T0, null)).toBe(false);
    });

    it('two handles deciding the same approval at once: exactly one wins', async () => {
      const s = await ctx.open();
      const other = (await ctx.other()) ?? s;
      await s.approvals.add(approval('a1'));
      const got = await Promise.all([s.approvals.decide('a1', 'approved', T0, 'cli'), other.approvals.decide('a1', 'expired', T0, 'sweeper')]);
      expect(got.filter(Boolean)).toHaveLength(1);
      expect((await s.approvals.get('a1'))?.status).toBe(got[0] ? 'approved' : 'expired');
    });
  });

  describe('agent state and events', () => {
    it('state: any JSON value per key, replaced on set; an unknown key is null', async () => {
      const s = await ctx.open();
      expect(await s.agentState.get('run')).toBeNull();
      await s.agentState.set('run', { status: 'running', since: T0, list: [1, 'two', null] }, T0);
      await s.agentState.set('cursor', 42, T0);
      await s.agentState.set('flag', false, T0);
      expect(await s.agentState.get('run')).toEqual({ status: 'running', since: T0, list: [1, 'two', null] });
      await s.agentState.set('run', { status: 'stopped' }, T0 + 1);
      expect(await s.agentState.get('run')).toEqual({ status: 'stopped' });
      expect(await s.agentState.get<number>('cursor')).toBe(42);
      expect(await s.agentState.get('flag')).toBe(false);
    });

    it('events: appended in order; events(limit) gives the most recent, oldest first (default 50)', async () => {
      const s = await ctx.open();
      expect(await s.agentState.events()).toEqual([]);
      for (let i = 0; i < 55; i++) await s.agentState.event({ at: T0 + (i % 3), kind: i % 2 ? 'trade' : 'state', state: 'running', message: `m${i}`, ...(i === 54 ? { data: { pnl: -3.5, nested: { ok: true } } } : {}) });
      const last3 = await s.agentState.events(3);
      expect(last3.map((e) => e.message)).toEqual(['m52', 'm53', 'm54']);
      expect(last3[2]).toEqual({ at: T0 + 0, kind: 'state', state: 'running', message: 'm54', data: { pnl: -3.5, nested: { ok: true } } });
      expect(last3[0].data).toBeUndefined();
      const dflt = await s.agentState.events();
      expect(dflt).toHaveLength(50);
      expect(dflt[0].message).toBe('m5');
    });
  });
}
