import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/port.js';
import type { StoreContext } from './context.js';
import { ev } from './records.js';

/** The outbox, leases and the unit of work itself. */
export function outboxLeasesTransactionContract(ctx: StoreContext): void {
  describe('events (outbox)', () => {
    it('numbers appended events with increasing seq and reads them back in order, with their payload', async () => {
      const s = await ctx.open();
      expect(await s.events.latestSeq()).toBe(0);
      expect(await s.events.since(0)).toEqual([]);
      const seqs: number[] = [];
      for (let i = 1; i <= 5; i++) seqs.push(await s.events.append(ev(i, i % 2 ? 'OrderFilled' : 'GateDenied', { i, nested: { list: [1, 'two'] } })));
      for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]);
      expect(await s.events.latestSeq()).toBe(seqs[4]);
      const all = await s.events.since(0);
      expect(all.map((e) => e.seq)).toEqual(seqs);
      expect(all[0]).toEqual({ seq: seqs[0], type: 'OrderFilled', at: 1, payload: { i: 1, nested: { list: [1, 'two'] } } });
      expect(all[1].type).toBe('GateDenied');
    });

    it('since() returns only events after the cursor, oldest first, at most limit', async () => {
      const s = await ctx.open();
      const seqs = [];
      for (let i = 1; i <= 6; i++) seqs.push(await s.events.append(ev(i)));
      expect((await s.events.since(seqs[2])).map((e) => e.at)).toEqual([4, 5, 6]);
      expect((await s.events.since(seqs[2], 2)).map((e) => e.at)).toEqual([4, 5]);
      expect(await s.events.since(seqs[5])).toEqual([]);
    });

    it('an event appended in a rolled-back transaction never appears, and its seq is not seen again out of order', async () => {
      const s = await ctx.open();
      const first = await s.events.append(ev(1));
      await expect(
        s.transaction(async (tx) => {
          await tx.events.append(ev(2));
          throw new Error('rollback');
        }),
      ).rejects.toThrow('rollback');
      const third = await s.events.append(ev(3));
      expect(third).toBeGreaterThan(first);
      expect((await s.events.since(0)).map((e) => e.at)).toEqual([1, 3]);
      expect(await s.events.latestSeq()).toBe(third);
    });

    it('events committed through a transaction are visible to another handle on the database', async () => {
      const s = await ctx.open();
      const other = await ctx.other();
      if (!other) return;
      const seq = await s.transaction((tx) => tx.events.append(ev(7, 'KillSwitchTripped')));
      expect(await other.events.since(0)).toEqual([{ seq, type: 'KillSwitchTripped', at: 7, payload: { at: 7 } }]);
    });

    it('onCommitting (where the engine has it): the events of a transaction, those of rolled-back savepoints left out, before it commits; what the listener writes commits with them; its failure fails the transaction', async () => {
      const s = await ctx.open();
      if (!s.events.onCommitting) return;
      const heard: number[][] = [];
      let fail = false;
      const stop = s.events.onCommitting(async (events, tx) => {
        if (fail) throw new Error('listener failed');
        heard.push(events.map((e) => e.at));
        await tx.agentState.set(
          'heard',
          events.map((e) => e.at),
          0,
        );
      });
      await s.events.append(ev(1));
      expect(heard).toEqual([]);
      await s.transaction(async (tx) => {
        await tx.events.append(ev(2));
        await tx.transaction((sp) => sp.events.append(ev(3)));
        await expect(
          tx.transaction(async (sp) => {
            await sp.events.append(ev(4));
            throw new Error('undo');
          }),
        ).rejects.toThrow('undo');
        await tx.events.append(ev(5));
      });
      expect(heard).toEqual([[2, 3, 5]]);
      expect(await s.agentState.get('heard')).toEqual([2, 3, 5]);
      // A transaction without events: not reported.
      await s.transaction((tx) => tx.agentState.set('x', 1, 0));
      expect(heard).toHaveLength(1);
      fail = true;
      await expect(s.transaction((tx) => tx.events.append(ev(6)))).rejects.toThrow('listener failed');
      expect((await s.events.since(0)).map((e) => e.at)).toEqual([1, 2, 3, 5]);
      stop();
      await s.transaction((tx) => tx.events.append(ev(7)));
      expect(heard).toHaveLength(1);
    });
  });

  describe('leases', () => {
    it('one holder at a time; the holder may acquire again; another may take it once it expired', async () => {
      const s = await ctx.open();
      expect(await s.leases.holder('trading', 0)).toBeNull();
      expect(await s.leases.tryAcquire('trading', 'a', 1000, 0)).toBe(true);
      expect(await s.leases.tryAcquire('trading', 'b', 1000, 500)).toBe(false);
      expect(await s.leases.holder('trading', 500)).toEqual({ holder: 'a', expiresAt: 1000 });
      expect(await s.leases.tryAcquire('trading', 'a', 1000, 600)).toBe(true);
      expect(await s.leases.holder('trading', 600)).toEqual({ holder: 'a', expiresAt: 1600 });
      expect(await s.leases.tryAcquire('trading', 'b', 1000, 1599)).toBe(false);
      // Expired at exactly expiresAt.
      expect(await s.leases.holder('trading', 1600)).toBeNull();
      expect(await s.leases.tryAcquire('trading', 'b', 1000, 1600)).toBe(true);
      expect(await s.leases.holder('trading', 1700)).toEqual({ holder: 'b', expiresAt: 2600 });
    });

    it('names are independent', async () => {
      const s = await ctx.open();
      expect(await s.leases.tryAcquire('trading', 'a', 1000, 0)).toBe(true);
      expect(await s.leases.tryAcquire('reconcile', 'b', 1000, 0)).toBe(true);
      expect((await s.leases.holder('reconcile', 10))?.holder).toBe('b');
    });

    it('renew extends only our own lease, and fails once someone else took it', async () => {
      const s = await ctx.open();
      expect(await s.leases.renew('trading', 'a', 1000, 0)).toBe(false);
      await s.leases.tryAcquire('trading', 'a', 1000, 0);
      expect(await s.leases.renew('trading', 'b', 1000, 500)).toBe(false);
      expect(await s.leases.renew('trading', 'a', 1000, 500)).toBe(true);
      expect(await s.leases.holder('trading', 1400)).toEqual({ holder: 'a', expiresAt: 1500 });
      // Past expiry but nobody took it: still ours.
      expect(await s.leases.renew('trading', 'a', 1000, 1700)).toBe(true);
      expect(await s.leases.tryAcquire('trading', 'b', 1000, 5000)).toBe(true);
      expect(await s.leases.renew('trading', 'a', 1000, 5001)).toBe(false);
      expect((await s.leases.holder('trading', 5001))?.holder).toBe('b');
    });

    it('release frees the lease only for its holder', async () => {
      const s = await ctx.open();
      await s.leases.tryAcquire('trading', 'a', 1000, 0);
      await s.leases.release('trading', 'b');
      expect((await s.leases.holder('trading', 1))?.holder).toBe('a');
      await s.leases.release('trading', 'a');
      expect(await s.leases.holder('trading', 1)).toBeNull();
      expect(await s.leases.tryAcquire('trading', 'b', 1000, 2)).toBe(true);
      await s.leases.release('nothing', 'a');
    });

    it('two handles racing for a free lease: exactly one gets it', async () => {
      const s = await ctx.open();
      const other = (await ctx.other()) ?? s;
      const got = await Promise.all([s.leases.tryAcquire('trading', 'a', 1000, 0), other.leases.tryAcquire('trading', 'b', 1000, 0)]);
      expect(got.filter(Boolean)).toHaveLength(1);
      expect((await s.leases.holder('trading', 1))?.holder).toBe(got[0] ? 'a' : 'b');
    });
  });

  describe('transaction (unit of work)', () => {
    it('commits every repository write when the function resolves, and returns its value', async () => {
      const s = await ctx.open();
      const r = await s.transaction(async (tx) => {
        await tx.events.append(ev(1));
        await tx.leases.tryAcquire('trading', 'a', 1000, 0);
        return 'ok';
      });
      expect(r).toBe('ok');
      expect(await s.events.latestSeq()).toBeGreaterThan(0);
      expect((await s.leases.holder('trading', 1))?.holder).toBe('a');
    });

    it('leaves nothing behind when the function throws, and rethrows its error', async () => {
      const s = await ctx.open();
      const boom = new Error('boom');
      const err = await s
        .transaction(async (tx) => {
          await tx.events.append(ev(1));
          await tx.leases.tryAcquire('trading', 'a', 1000, 0);
          throw boom;
        })
        .catch((e: unknown) => e);
      expect(err).toBe(boom);
      expect(await s.events.since(0)).toEqual([]);
      expect(await s.leases.holder('trading', 1)).toBeNull();
    });

    it('serialises concurrent read-check-write transactions: exactly one passes the check', async () => {
      const s = await ctx.open();
      const other = (await ctx.other()) ?? s;
      const attempt = (st: Store) =>
        st.transaction(async (tx) => {
          const seen = await tx.events.latestSeq();
          for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
          if (seen !== 0) return false;
          await tx.events.append(ev(1, 'OrderSubmitted'));
          return true;
        });
      const wins = await Promise.all([attempt(s), attempt(s), attempt(other)]);
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect(await s.events.since(0)).toHaveLength(1);
    });
  });
}
