import { entryHash } from '../../store/audit-chain.js';
import type { AuditEntry, AuditRecord, Store } from '../../store/port.js';
import type { DataSubject, PersonalDataSection } from '../gdpr/personal-data.js';

const PAGE = 1000;
/** Actors that are a principal (someone else acting); `system` records anonymous calls such as logins. */
const PRINCIPAL = /^(user|api_key|local):/;

/** Replaces the user's name (and principal label) wherever it is a whole string value in params. */
function replaceName(v: unknown, from: string[], to: string[]): unknown {
  if (typeof v === 'string') {
    const i = from.indexOf(v);
    return i < 0 ? v : to[i];
  }
  if (Array.isArray(v)) return v.map((x) => replaceName(x, from, to));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replaceName(x, from, to)]));
  return v;
}

/**
 * An entry as kept after erasing `name`: the actor `user:<name>` becomes `user:<pseudonym>` and
 * loses its IP address; the name (or label) as a value in params becomes the pseudonym (an
 * anonymous call naming them, a login, loses its IP address too). What was done, when, with which
 * result stays. Null when the entry does not name the user.
 */
export function pseudonymised(e: AuditEntry, name: string, pseudonym: string): AuditRecord | null {
  const label = `user:${name}`;
  const own = e.actor === label;
  const params = replaceName(e.params, [name, label], [pseudonym, `user:${pseudonym}`]) as Record<string, unknown>;
  if (!own && JSON.stringify(params) === JSON.stringify(e.params)) return null;
  // An anonymous call naming the user (a login) came from their address; another principal's (an admin's) from its own.
  const theirAddress = own || !PRINCIPAL.test(e.actor);
  return { at: e.at, actor: own ? `user:${pseudonym}` : e.actor, role: e.role, action: e.action, params, result: e.result, errorCode: e.errorCode, requestId: e.requestId, ip: theirAddress ? null : e.ip };
}

async function* allEntries(store: Store): AsyncGenerator<AuditEntry> {
  for (let after = 0; ;) {
    const page = await store.audit.range(after, PAGE);
    yield* page;
    if (page.length < PAGE) return;
    after = page[page.length - 1].seq;
  }
}

/**
 * The user's audit entries (actions they took, with times, parameters as recorded and IP
 * addresses). Erasure pseudonymises every entry naming them, keeping the chain verifiable
 * (src/application/audit/verify.ts): the entries stay, their content hash is recorded under the
 * erasure, whose own entry the eraser appends.
 */
export const auditSection: PersonalDataSection = {
  name: 'audit',
  async export(store: Store, subject: DataSubject) {
    const out: Record<string, unknown>[] = [];
    for (let before: number | undefined; ;) {
      const page = await store.audit.list({ actor: `user:${subject.name}`, beforeSeq: before, limit: 500 });
      for (const e of page) out.push({ seq: e.seq, at: new Date(e.at).toISOString(), action: e.action, params: e.params, result: e.result, error_code: e.errorCode, request_id: e.requestId, ip: e.ip });
      if (page.length < 500) break;
      before = page[page.length - 1].seq;
    }
    return out.reverse();
  },
  async erase(tx: Store, subject: DataSubject, pseudonym: string) {
    const rewrites: { seq: number; record: AuditRecord; contentHash: string }[] = [];
    for await (const e of allEntries(tx)) {
      const record = pseudonymised(e, subject.name, pseudonym);
      if (record) rewrites.push({ seq: e.seq, record, contentHash: entryHash(e.prevHash, e.seq, record) });
    }
    return rewrites.length ? tx.audit.rewrite(pseudonym, rewrites) : 0;
  },
  retained:
    "The audit log entries of the user's actions, pseudonymised (actor and name replaced by the pseudonym, IP addresses removed) and kept until audit.retention_days: the hash chain stays verifiable. Legal basis: legal obligation (Art. 6(1)(c)) where trading records must be kept, otherwise legitimate interest (Art. 6(1)(f)) in the security and accountability of the system.",
};
