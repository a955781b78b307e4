import { randomBytes } from 'node:crypto';
import { ERASURE_ACTION, rewritesDigest } from '../../store/audit-chain.js';
import type { AuditRecord, Store } from '../../store/port.js';
import type { DataSubject } from './personal-data.js';
import { PERSONAL_DATA_SECTIONS } from './sections.js';

export interface ErasureResult {
  erased: true;
  pseudonym: string;
  /** Records deleted or pseudonymised, over every area. */
  records: number;
}

/** Who erased (the erasure's own audit entry): the user themself (recorded under the pseudonym) or an admin. */
export type Eraser = { self: true; requestId?: string | null } | { self: false; actor: string; role: string; requestId?: string | null; ip?: string | null };

/** `erased-` and 8 random hex digits, unused as a user name. */
async function newPseudonym(store: Store): Promise<string> {
  for (;;) {
    const p = `erased-${randomBytes(4).toString('hex')}`;
    if (!(await store.auth.userByName(p))) return p;
  }
}

/**
 * Erases the subject (Art. 17): every registered section deletes or pseudonymises what it holds,
 * the audit log last (it rewrites the entries naming the user), then the erasure is recorded in
 * an audit entry carrying the digest of those rewrites, all in one store transaction: all or
 * nothing. The entry's actor is the pseudonym when the user erased their own account.
 */
export async function eraseSubject(store: Store, subject: DataSubject, by: Eraser, at: number): Promise<ErasureResult> {
  const pseudonym = await newPseudonym(store);
  const sections = [...PERSONAL_DATA_SECTIONS].sort((a, b) => Number(a.name === 'audit') - Number(b.name === 'audit'));
  return store.transaction(async (tx) => {
    let records = 0;
    for (const s of sections) records += await s.erase(tx, subject, pseudonym);
    const rewrites = await tx.audit.rewrites(pseudonym);
    const entry: AuditRecord = {
      at,
      actor: by.self ? `user:${pseudonym}` : by.actor,
      role: by.self ? 'user' : by.role,
      action: ERASURE_ACTION,
      params: { pseudonym, user_id: subject.id, records, audit_entries_pseudonymised: rewrites.length, rewrites_digest: rewritesDigest(rewrites) },
      result: 'ok',
      errorCode: null,
      requestId: by.requestId ?? null,
      ip: by.self ? null : (by.ip ?? null),
    };
    await tx.audit.append(entry);
    return { erased: true as const, pseudonym, records };
  });
}
