import { describe, expect, it } from 'vitest';
import type { StoreContext } from './context.js';

const rec = (key: string, principal = 'user:alice', over: Partial<{ requestHash: string; subject: string; createdAt: number }> = {}) => ({
  key,
  principal,
  requestHash: over.requestHash ?? 'hash-1',
  subject: over.subject ?? `decision-${key}`,
  createdAt: over.createdAt ?? 1_700_000_000_000,
});

/** Idempotency keys: claimed once per principal, answered from the stored response, pruned by age. */
export function idempotencyContract(ctx: StoreContext): void {
  describe('idempotency keys', () => {
    it('claim: a new key is recorded (null back) with a null response; get reads it', async () => {
      const s = await ctx.open();
      expect(await s.idempotency.get('user:alice', 'k1')).toBeNull();
      expect(await s.idempotency.claim(rec('k1'))).toBeNull();
      expect(await s.idempotency.get('user:alice', 'k1')).toEqual({ ...rec('k1'), response: null });
    });

    it('claim again: the first record comes back unchanged (another body, another subject do not overwrite it)', async () => {
      const s = await ctx.open();
      await s.idempotency.claim(rec('k1'));
      const again = await s.idempotency.claim(rec('k1', 'user:alice', { requestHash: 'hash-2', subject: 'other', createdAt: 5 }));
      expect(again).toEqual({ ...rec('k1'), response: null });
    });

    it('keys are per principal: the same key of another principal is a separate record', async () => {
      const s = await ctx.open();
      await s.idempotency.claim(rec('k1'));
      expect(await s.idempotency.claim(rec('k1', 'api_key:bot', { subject: 'd-bot' }))).toBeNull();
      expect((await s.idempotency.get('api_key:bot', 'k1'))?.subject).toBe('d-bot');
      expect((await s.idempotency.get('user:alice', 'k1'))?.subject).toBe('decision-k1');
    });

    it('complete stores the response as JSON; a later claim returns it', async () => {
      const s = await ctx.open();
      await s.idempotency.claim(rec('k1'));
      const response = { decision_id: 'd1', status: 'filled', orders: [{ units: '0.5', price: '100.25' }], note: null };
      await s.idempotency.complete('user:alice', 'k1', response);
      expect((await s.idempotency.get('user:alice', 'k1'))?.response).toEqual(response);
      expect((await s.idempotency.claim(rec('k1')))?.response).toEqual(response);
      // Another principal's record is untouched.
      await s.idempotency.complete('user:bob', 'k1', { x: 1 });
      expect(await s.idempotency.get('user:bob', 'k1')).toBeNull();
    });

    it('concurrent claims of one key: exactly one wins', async () => {
      const s = await ctx.open();
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => s.idempotency.claim(rec('race', 'user:alice', { subject: `s${i}` }))));
      expect(results.filter((r) => r === null)).toHaveLength(1);
      const winner = (await s.idempotency.get('user:alice', 'race'))!.subject;
      for (const r of results) if (r) expect(r.subject).toBe(winner);
    });

    it('a claim on another handle on the database sees the first', async () => {
      const s = await ctx.open();
      const other = await ctx.other();
      if (!other) return;
      await s.idempotency.claim(rec('k1'));
      expect((await other.idempotency.claim(rec('k1', 'user:alice', { subject: 'x' })))?.subject).toBe('decision-k1');
    });

    it('prune deletes records created before the cut-off and says how many', async () => {
      const s = await ctx.open();
      await s.idempotency.claim(rec('old', 'user:alice', { createdAt: 100 }));
      await s.idempotency.claim(rec('new', 'user:alice', { createdAt: 300 }));
      expect(await s.idempotency.prune(200)).toBe(1);
      expect(await s.idempotency.get('user:alice', 'old')).toBeNull();
      expect(await s.idempotency.get('user:alice', 'new')).not.toBeNull();
      expect(await s.idempotency.prune(200)).toBe(0);
    });
  });
}
