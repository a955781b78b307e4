import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, entryHash, GENESIS_HASH } from './audit-chain.js';
import type { AuditRecord } from './ports/audit.js';

/** The hash as first defined: canonicalJson over a fresh object of the entry's number and fields. */
function referenceHash(prevHash: string, seq: number, r: AuditRecord): string {
  const fields = { seq, at: r.at, actor: r.actor, role: r.role, action: r.action, params: r.params, result: r.result, errorCode: r.errorCode, requestId: r.requestId, ip: r.ip };
  return createHash('sha256').update(prevHash).update(canonicalJson(fields)).digest('hex');
}

const base: AuditRecord = { at: 1_704_067_200_000, actor: 'agent', role: 'operator', action: 'order.submitted', params: {}, result: 'ok', errorCode: null, requestId: null, ip: null };

describe('entryHash', () => {
  it('is the hash of canonicalJson over the entry (written-out key order = sorted order), for nested, unicode, quoted and absent fields', () => {
    const records: AuditRecord[] = [
      base,
      { ...base, params: { z: 1, a: { y: [3, { b: 2, a: 1 }], x: null }, 'quote"d': 'é\n\u2028', skip: undefined }, errorCode: 'VENUE_REJECTED', requestId: 'r-1', ip: '::1', result: 'error' },
      // Records read back from older rows may lack optional fields entirely.
      { ...base, errorCode: undefined, requestId: undefined } as unknown as AuditRecord,
      { ...base, at: 0.5, actor: 'user:ä"lice', role: '', action: 'x.y' },
    ];
    for (const [i, r] of records.entries()) {
      expect(entryHash(GENESIS_HASH, i + 1, r)).toBe(referenceHash(GENESIS_HASH, i + 1, r));
      expect(entryHash('ab'.repeat(32), 10 ** 9, r)).toBe(referenceHash('ab'.repeat(32), 10 ** 9, r));
    }
    expect(entryHash(GENESIS_HASH, 1, base)).not.toBe(entryHash(GENESIS_HASH, 2, base));
  });
});
