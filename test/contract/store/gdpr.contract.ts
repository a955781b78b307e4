import { describe, expect, it } from 'vitest';
import { entryHash } from '../../../src/store/audit-chain.js';
import { PERSONAL_COLUMNS } from '../../../src/store/personal-columns.js';
import { auditRecord } from './audit.contract.js';
import { apiKeyRecord, refreshRecord, T0 } from './auth.contract.js';
import type { StoreContext } from './context.js';

const column = (table: string) => PERSONAL_COLUMNS.find((c) => c.table === table)!;

export function gdprContract(ctx: StoreContext): void {
  describe('GDPR: audit rewrites and personal records', () => {
    it('rewrite replaces content but keeps hash and prev_hash, records each rewrite per erasure; a later rewrite of the same entry has a later head', async () => {
      const s = await ctx.open();
      const a = await s.audit.append(auditRecord('trade.manual', { actor: 'user:alice', ip: '203.0.113.7' }));
      const b = await s.audit.append(auditRecord('user.update', { actor: 'user:bob', params: { name: 'alice' } }));
      const first = { ...auditRecord('trade.manual', { actor: 'user:erased-1', ip: null }) };
      const n = await s.transaction((tx) =>
        tx.audit.rewrite('erased-1', [
          { seq: a.seq, record: first, contentHash: entryHash(a.prevHash, a.seq, first) },
          { seq: 99, record: first, contentHash: 'x' },
        ]),
      );
      expect(n).toBe(1);
      const [stored] = await s.audit.range(0, 1);
      expect(stored).toMatchObject({ seq: a.seq, actor: 'user:erased-1', ip: null, hash: a.hash, prevHash: a.prevHash });
      await s.audit.append(auditRecord('gdpr.erase'));
      const second = { ...first, params: { pair: 'BTCUSD', by: 'erased-2' } };
      await s.audit.rewrite('erased-2', [{ seq: a.seq, record: second, contentHash: 'h2' }]);
      const rows = await s.audit.rewrites();
      expect(rows.map((r) => [r.seq, r.erasure, r.contentHash])).toEqual([
        [a.seq, 'erased-1', entryHash(a.prevHash, a.seq, first)],
        [a.seq, 'erased-2', 'h2'],
      ]);
      expect(rows[1].headSeq).toBeGreaterThan(rows[0].headSeq);
      expect((await s.audit.rewrites('erased-2')).map((r) => r.erasure)).toEqual(['erased-2']);
      expect((await s.audit.range(1, 1))[0]).toMatchObject({ seq: b.seq, actor: 'user:bob', hash: b.hash });
    });

    it('personal records: rows naming a user (export columns only, times as numbers); erase pseudonymises or deletes as the column says', async () => {
      const s = await ctx.open();
      await s.auth.addApiKey(apiKeyRecord('k1', { createdBy: 'user:alice', lastUsedAt: T0 + 5 }));
      await s.auth.addApiKey(apiKeyRecord('k2', { createdBy: 'user:bob' }));
      await s.auth.addRefreshToken(refreshRecord('r1', { userId: 'u-alice' }));
      await s.auth.addRefreshToken(refreshRecord('r2', { userId: 'u-bob', familyId: 'f2' }));
      const keys = await s.personal.rows(column('auth_api_keys'), 'user:alice');
      expect(keys).toEqual([{ id: 'k1', name: 'key-k1', role: 'trader', prefix: 'ffe_k1000000', created_at: T0, last_used_at: T0 + 5, revoked_at: null }]);
      expect(Object.keys((await s.personal.rows(column('auth_refresh_tokens'), 'u-alice'))[0])).not.toContain('hash');
      expect(await s.personal.erase(column('auth_api_keys'), 'user:alice', 'user:erased-1')).toBe(1);
      expect(await s.personal.erase(column('auth_refresh_tokens'), 'u-alice', 'ignored')).toBe(1);
      expect((await s.auth.listApiKeys()).map((k) => [k.id, k.createdBy])).toEqual([
        ['k1', 'user:erased-1'],
        ['k2', 'user:bob'],
      ]);
      expect(await s.auth.refreshTokenByHash('rt-r1')).toBeNull();
      expect(await s.auth.refreshTokenByHash('rt-r2')).not.toBeNull();
    });
  });
}
