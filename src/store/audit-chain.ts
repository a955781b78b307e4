import { createHash } from 'node:crypto';
import type { AuditRecord } from './ports/audit.js';

/** The previous hash of the first entry ever appended. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level: the same value always gives the same text (and hash). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .filter((k) => o[k] !== undefined)
        .map((k) => [k, sortKeys(o[k])]),
    );
  }
  return v;
}

/** An entry's hash: sha256 over the previous hash and the canonical JSON of its number and fields. */
export function entryHash(prevHash: string, seq: number, r: AuditRecord): string {
  return entryHashOf(prevHash, seq, r, canonicalJson(r.params));
}

/** A field of the hashed object as canonicalJson writes it: `,"key":value`, nothing when undefined (sortKeys drops those). */
const member = (key: string, v: unknown) => (v === undefined ? '' : `,${JSON.stringify(key)}:${JSON.stringify(v)}`);

/**
 * `entryHash` with the params' canonical JSON already made (an append needs it for the row too).
 * The object's text is written out in canonicalJson's key order (action, actor, at, errorCode,
 * ip, params, requestId, result, role, seq) instead of sorting a fresh object per entry: the
 * same text, so the same chain (audit-chain.test.ts compares the two).
 */
export function entryHashOf(prevHash: string, seq: number, r: AuditRecord, paramsJson: string): string {
  const text =
    '{' +
    (
      member('action', r.action) +
      member('actor', r.actor) +
      member('at', r.at) +
      member('errorCode', r.errorCode) +
      member('ip', r.ip) +
      `,"params":${paramsJson}` +
      member('requestId', r.requestId) +
      member('result', r.result) +
      member('role', r.role) +
      member('seq', seq)
    ).slice(1) +
    '}';
  return createHash('sha256').update(prevHash).update(text).digest('hex');
}

/** The action of an erasure's own entry (GDPR): its params name the pseudonym and carry `rewrites_digest`. */
export const ERASURE_ACTION = 'gdpr.erase';

/**
 * What an erasure's entry records of the entries it pseudonymised: sha256 over the canonical JSON
 * of their [seq, content hash] pairs, by seq. Verification recomputes it from audit_rewrites, so
 * a rewrite added, removed or changed after the fact shows.
 */
export function rewritesDigest(rows: readonly { seq: number; contentHash: string }[]): string {
  const pairs = [...rows].sort((a, b) => a.seq - b.seq).map((r) => [r.seq, r.contentHash]);
  return createHash('sha256').update(canonicalJson(pairs)).digest('hex');
}
