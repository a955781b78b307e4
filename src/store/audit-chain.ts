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
  const fields = { seq, at: r.at, actor: r.actor, role: r.role, action: r.action, params: r.params, result: r.result, errorCode: r.errorCode, requestId: r.requestId, ip: r.ip };
  return createHash('sha256').update(prevHash).update(canonicalJson(fields)).digest('hex');
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
