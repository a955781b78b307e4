import { entryHash, ERASURE_ACTION, GENESIS_HASH, rewritesDigest } from '../../store/audit-chain.js';
import type { AuditLogRepository, AuditRewrite } from '../../store/port.js';

export type AuditProblem = 'altered' | 'missing' | 'reordered';

export interface AuditVerification {
  ok: boolean;
  /** Entries whose hash was checked. */
  checked: number;
  /** The checkpoint the walk started from (0: the start of the log). */
  from_seq: number;
  first_problem?: { seq: number; problem: AuditProblem; detail: string };
}

const PAGE = 1000;

/**
 * Walks the chain from the prune checkpoint (or the start) to the head: each entry must be the
 * next number, hash to its stored hash (else it was altered) and name the previous entry's hash
 * as its prev_hash (else entries were moved or an earlier one was rewritten with a new hash).
 * The stored head catches the newest entries deleted. Stops at the first problem.
 *
 * Entries pseudonymised by a GDPR erasure keep their original hash (so the chain is unchanged);
 * their content must hash to the content hash of their latest rewrite instead, and each erasure's
 * own entry (`gdpr.erase`, in the chain) must carry the digest of exactly the rewrites it made.
 */
export async function verifyChain(log: AuditLogRepository): Promise<AuditVerification> {
  const cp = await log.checkpoint();
  const head = await log.head();
  const from = cp?.seq ?? 0;
  let prev = { seq: from, hash: cp?.hash ?? GENESIS_HASH };
  let checked = 0;
  const rewrites = await log.rewrites();
  const latest = new Map<number, AuditRewrite>();
  const byErasure = new Map<string, AuditRewrite[]>();
  for (const r of rewrites) {
    if ((latest.get(r.seq)?.headSeq ?? -1) <= r.headSeq) latest.set(r.seq, r);
    byErasure.set(r.erasure, [...(byErasure.get(r.erasure) ?? []), r]);
  }
  const vouched = new Set<string>();
  const fail = (seq: number, problem: AuditProblem, detail: string): AuditVerification => ({ ok: false, checked, from_seq: from, first_problem: { seq, problem, detail } });
  for (;;) {
    const page = await log.range(prev.seq, PAGE);
    for (const e of page) {
      const expected = prev.seq + 1;
      if (e.seq !== expected) {
        const last = e.seq - 1;
        return fail(expected, 'missing', `entr${last === expected ? `y ${expected} is` : `ies ${expected}–${last} are`} missing (after entry ${prev.seq})`);
      }
      const rewrite = latest.get(e.seq);
      if (entryHash(e.prevHash, e.seq, e) !== (rewrite ? rewrite.contentHash : e.hash))
        return fail(e.seq, 'altered', `entry ${e.seq} (${e.action}) does not match its hash${rewrite ? ' as pseudonymised' : ''}: its content was changed`);
      if (e.action === ERASURE_ACTION && typeof e.params.pseudonym === 'string') {
        if (rewritesDigest(byErasure.get(e.params.pseudonym) ?? []) !== e.params.rewrites_digest)
          return fail(e.seq, 'altered', `the pseudonymised entries erasure entry ${e.seq} vouches for were changed (audit_rewrites does not match its digest)`);
        vouched.add(e.params.pseudonym);
      }
      if (e.prevHash !== prev.hash) return fail(e.seq, 'reordered', `entry ${e.seq} does not chain to entry ${prev.seq} (entries moved, renumbered or an earlier one rewritten)`);
      checked++;
      prev = { seq: e.seq, hash: e.hash };
    }
    if (page.length < PAGE) break;
  }
  const stray = rewrites.find((r) => r.seq > from && !vouched.has(r.erasure));
  if (stray) return fail(stray.seq, 'altered', `entry ${stray.seq} was rewritten without an erasure entry vouching for it`);
  if (head && head.seq > prev.seq)
    return fail(prev.seq + 1, 'missing', `entr${head.seq === prev.seq + 1 ? `y ${head.seq} is` : `ies ${prev.seq + 1}–${head.seq} are`} missing (the log ends at ${prev.seq}; ${head.seq} was appended)`);
  if (head && head.seq === prev.seq && head.hash !== prev.hash) return fail(prev.seq, 'altered', `entry ${prev.seq} is not the entry that was appended as ${prev.seq}`);
  return { ok: true, checked, from_seq: from };
}
