import { describe, expect, it } from 'vitest';
import { entryHash, GENESIS_HASH } from '../../../src/store/audit-chain.js';
import type { AuditRecord } from '../../../src/store/port.js';
import type { StoreContext } from './context.js';
import { T0 } from './records.js';

const MIN = 60_000;

export const auditRecord = (action: string, o: Partial<AuditRecord> = {}): AuditRecord => ({
  at: T0,
  actor: 'user:alice',
  role: 'trader',
  action,
  params: { pair: 'BTCUSD', nested: { b: 2, a: [1, 'ü'] } },
  result: 'ok',
  errorCode: null,
  requestId: 'req-1',
  ip: '127.0.0.1',
  ...o,
});

export function auditContract(ctx: StoreContext): void {
  describe('audit log', () => {
    it('append numbers entries 1, 2, 3, chains each to the previous hash and round-trips every field', async () => {
      const s = await ctx.open();
      expect(await s.audit.head()).toBeNull();
      const a = await s.audit.append(auditRecord('bot.start'));
      const b = await s.audit.append(auditRecord('trade.manual', { at: T0 + MIN, result: 'denied', errorCode: 'RISK_DENIED', requestId: null, ip: null, actor: 'agent', role: 'agent' }));
      expect(a).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, action: 'bot.start' });
      expect(a.hash).toBe(entryHash(GENESIS_HASH, 1, auditRecord('bot.start')));
      expect(b).toMatchObject({ seq: 2, prevHash: a.hash, result: 'denied', errorCode: 'RISK_DENIED', requestId: null, ip: null });
      expect(b.hash).toBe(entryHash(a.hash, 2, b));
      expect(await s.audit.list()).toEqual([b, a]);
      expect((await s.audit.list())[1]).toEqual({ ...auditRecord('bot.start'), seq: 1, prevHash: GENESIS_HASH, hash: a.hash });
      expect(await s.audit.head()).toEqual({ seq: 2, hash: b.hash });
    });

    it('appendMany chains its entries after the head like one append each, and rolls back with a failing transaction', async () => {
      const s = await ctx.open();
      const a = await s.audit.append(auditRecord('bot.start'));
      const [b, c] = await s.audit.appendMany([auditRecord('order.submitted', { at: T0 + MIN }), auditRecord('order.filled', { at: T0 + 2 * MIN, requestId: null })]);
      expect(b).toMatchObject({ seq: 2, prevHash: a.hash, action: 'order.submitted' });
      expect(b!.hash).toBe(entryHash(a.hash, 2, auditRecord('order.submitted', { at: T0 + MIN })));
      expect(c).toMatchObject({ seq: 3, prevHash: b!.hash, requestId: null });
      expect(await s.audit.head()).toEqual({ seq: 3, hash: c!.hash });
      expect(await s.audit.range(0, 10)).toEqual([a, b, c]);
      expect(await s.audit.appendMany([])).toEqual([]);
      await expect(
        s.transaction(async (tx) => {
          await tx.audit.appendMany([auditRecord('x'), auditRecord('y')]);
          throw new Error('undo');
        }),
      ).rejects.toThrow('undo');
      expect(await s.audit.head()).toEqual({ seq: 3, hash: c!.hash });
      expect((await s.audit.append(auditRecord('z'))).prevHash).toBe(c!.hash);
    });

    it('the hash does not depend on the order of params keys', async () => {
      const s = await ctx.open();
      const a = await s.audit.append(auditRecord('x', { params: { a: 1, b: { c: 1, d: 2 } } }));
      expect(a.hash).toBe(entryHash(GENESIS_HASH, 1, auditRecord('x', { params: { b: { d: 2, c: 1 }, a: 1 } })));
    });

    it('concurrent appends (and a second handle on the same database) chain one after another without gaps', async () => {
      const s = await ctx.open();
      const other = (await ctx.other()) ?? s;
      await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? other : s).audit.append(auditRecord(`a.${i}`))));
      const all = await s.audit.range(0, 100);
      expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      for (let i = 1; i < all.length; i++) expect(all[i].prevHash).toBe(all[i - 1].hash);
    });

    it('list: newest first, filtered by action, actor and time, at most limit, before a seq (the cursor)', async () => {
      const s = await ctx.open();
      await s.audit.append(auditRecord('bot.start', { at: T0 }));
      await s.audit.append(auditRecord('trade.manual', { at: T0 + MIN, actor: 'api_key:ci' }));
      await s.audit.append(auditRecord('bot.start', { at: T0 + 2 * MIN, actor: 'api_key:ci' }));
      await s.audit.append(auditRecord('bot.stop', { at: T0 + 3 * MIN }));
      const seqs = async (q: Parameters<typeof s.audit.list>[0]) => (await s.audit.list(q)).map((e) => e.seq);
      expect(await seqs({})).toEqual([4, 3, 2, 1]);
      expect(await seqs({ limit: 2 })).toEqual([4, 3]);
      expect(await seqs({ beforeSeq: 3 })).toEqual([2, 1]);
      expect(await seqs({ action: 'bot.start' })).toEqual([3, 1]);
      expect(await seqs({ actor: 'api_key:ci' })).toEqual([3, 2]);
      expect(await seqs({ from: T0 + MIN, to: T0 + 2 * MIN })).toEqual([3, 2]);
      expect(await seqs({ action: 'bot.start', actor: 'api_key:ci', limit: 5 })).toEqual([3]);
      expect(await seqs({ action: 'nope' })).toEqual([]);
    });

    it('range: oldest first after a seq, at most limit', async () => {
      const s = await ctx.open();
      for (let i = 0; i < 5; i++) await s.audit.append(auditRecord(`a.${i}`));
      expect((await s.audit.range(0, 2)).map((e) => e.seq)).toEqual([1, 2]);
      expect((await s.audit.range(3, 10)).map((e) => e.seq)).toEqual([4, 5]);
      expect(await s.audit.range(5, 10)).toEqual([]);
    });

    it('prune removes the oldest run of entries older than the cutoff, records the checkpoint, and the chain goes on from it', async () => {
      const s = await ctx.open();
      expect(await s.audit.prune(T0 + 10 * MIN)).toEqual({ pruned: 0, checkpoint: null });
      await s.audit.append(auditRecord('a', { at: T0 }));
      const second = await s.audit.append(auditRecord('b', { at: T0 + MIN }));
      // Newer than the cutoff: it stops the prefix, so the old entry after it stays too.
      await s.audit.append(auditRecord('c', { at: T0 + 5 * MIN }));
      await s.audit.append(auditRecord('d', { at: T0 + MIN }));
      expect(await s.audit.checkpoint()).toBeNull();
      expect(await s.audit.prune(T0 + 2 * MIN)).toEqual({ pruned: 2, checkpoint: { seq: 2, hash: second.hash } });
      expect(await s.audit.checkpoint()).toEqual({ seq: 2, hash: second.hash });
      expect((await s.audit.range(0, 10)).map((e) => e.seq)).toEqual([3, 4]);
      // Nothing more is old enough: the checkpoint stays.
      expect(await s.audit.prune(T0 + 2 * MIN)).toEqual({ pruned: 0, checkpoint: { seq: 2, hash: second.hash } });
      // Everything goes; the head remains, and the next entry chains to it.
      const head = await s.audit.head();
      expect(await s.audit.prune(T0 + 60 * MIN)).toMatchObject({ pruned: 2, checkpoint: head });
      expect(await s.audit.list()).toEqual([]);
      const next = await s.audit.append(auditRecord('e', { at: T0 + 61 * MIN }));
      expect(next).toMatchObject({ seq: 5, prevHash: head!.hash });
    });
  });
}
