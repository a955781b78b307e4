import * as crypto from 'node:crypto';

const { createHash } = crypto;

/**
 * sha256 of a text in hex. `crypto.hash` (one call, no Hash object) exists from Node 20.12; the
 * package allows 20.11, where a named import of it would fail to link, so older runtimes take
 * the Hash object (the same digest).
 */
const sha256Hex: (text: string) => string = typeof crypto.hash === 'function' ? (text) => crypto.hash('sha256', text, 'hex') : (text) => createHash('sha256').update(text).digest('hex');
import type { AuditRecord } from './ports/audit.js';

/** The previous hash of the first entry ever appended. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level: the same value always gives the same text (and hash). */
export function canonicalJson(value: unknown): string {
  return plainText(value) ?? JSON.stringify(sortKeys(value));
}

/**
 * canonicalJson's text written out directly for plain JSON data (strings, numbers, booleans,
 * null, plain arrays, objects with Object's or no prototype): the text JSON.stringify gives for
 * sortKeys' copy, without making the copy (every audit entry's params: ~50,000 a year in an agent
 * replay). undefined, so the copy is made after all, for whatever JSON.stringify treats in its
 * own way: a toJSON, a key that starts with a digit (an object lists integer-like keys first,
 * whatever order they were added in), functions, symbols, bigints, other classes.
 */
function plainText(v: unknown): string | undefined {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
    case 'number':
      return JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      break;
    default:
      return undefined;
  }
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto === Array.prototype) {
    const a = v as unknown[];
    let out = '[';
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      // A hole or undefined is null in an array, as JSON.stringify writes it.
      const t = x === undefined ? 'null' : plainText(x);
      if (t === undefined) return undefined;
      out += i === 0 ? t : `,${t}`;
    }
    return `${out}]`;
  }
  if (proto !== Object.prototype && proto !== null) return undefined;
  const o = v as Record<string, unknown>;
  let out = '';
  for (const k of Object.keys(o).sort()) {
    const c = k.charCodeAt(0);
    if ((c >= 48 && c <= 57) || k === 'toJSON') return undefined;
    const x = o[k];
    if (x === undefined) continue;
    const t = plainText(x);
    if (t === undefined) return undefined;
    out += `,${JSON.stringify(k)}:${t}`;
  }
  return `{${out.slice(1)}}`;
}

/** A copy of `v` with every object's keys sorted and undefined values left out: canonicalJson's general path. */
export function sortKeys(v: unknown): unknown {
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

/**
 * A field of the hashed object as canonicalJson writes it: `,"key":value`, nothing when undefined
 * (sortKeys drops those). `prefix` is the `,"key":` part, written once (the keys are fixed).
 */
const member = (prefix: string, v: unknown) => (v === undefined ? '' : prefix + JSON.stringify(v));

/**
 * `entryHash` with the params' canonical JSON already made (an append needs it for the row too).
 * The object's text is written out in canonicalJson's key order (action, actor, at, errorCode,
 * ip, params, requestId, result, role, seq) instead of sorting a fresh object per entry: the
 * same text, so the same chain (audit-chain.test.ts compares the two). One-shot `hash` over the
 * previous hash and the text: the same sha256 as two updates of a Hash object, without building
 * one per entry (an agent replay appends ~50,000 entries a year).
 */
export function entryHashOf(prevHash: string, seq: number, r: AuditRecord, paramsJson: string): string {
  const text =
    '{' +
    (
      member(',"action":', r.action) +
      member(',"actor":', r.actor) +
      member(',"at":', r.at) +
      member(',"errorCode":', r.errorCode) +
      member(',"ip":', r.ip) +
      `,"params":${paramsJson}` +
      member(',"requestId":', r.requestId) +
      member(',"result":', r.result) +
      member(',"role":', r.role) +
      member(',"seq":', seq)
    ).slice(1) +
    '}';
  return sha256Hex(prevHash + text);
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
