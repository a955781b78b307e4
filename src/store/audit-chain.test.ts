import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, entryHash, GENESIS_HASH, sortKeys } from './audit-chain.js';
import type { AuditRecord } from './ports/audit.js';

/** canonicalJson as first defined: JSON.stringify of a copy with every object's keys sorted and undefined values left out (its general path). */
const referenceJson = (value: unknown): string => JSON.stringify(sortKeys(value));

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

describe('canonicalJson', () => {
  it('writes what JSON.stringify of a key-sorted copy writes, for any JSON-like value', () => {
    // Keys with digits, unicode, quotes; numbers incl. -0, NaN, Infinity; undefined in objects and arrays.
    const key = fc.oneof(fc.string(), fc.constantFrom('10', '9', '0', '-1', '1.5', 'a', 'B', 'é', '"q"', '\u2028'));
    const leaf = fc.oneof(fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined));
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
      array: fc.array(tie('value'), { maxLength: 5 }),
      object: fc.dictionary(key, tie('value'), { maxKeys: 6 }),
    }));
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson(v)).toBe(referenceJson(v));
      }),
      { numRuns: 2000 },
    );
  });

  it('takes the general path for what JSON.stringify treats in its own way, with the same text', () => {
    class Point {
      constructor(
        public y: number,
        public x: number,
      ) {}
    }
    const holes = [1, , 3]; // eslint-disable-line no-sparse-arrays
    const values: unknown[] = [
      { b: 1, 10: 'ten', 9: 'nine', a: 2 },
      { when: new Date(0), p: new Point(2, 1) },
      { toJSON: () => 'own', z: 1 },
      [() => 1, Symbol('s'), undefined, holes],
      { f: () => 1, s: Symbol('s'), n: Object.create(null) as object },
      Object.assign(Object.create(null) as object, { b: [{ d: 1, c: 2 }], a: -0 }),
    ];
    for (const v of values) expect(canonicalJson(v)).toBe(referenceJson(v));
  });
});
