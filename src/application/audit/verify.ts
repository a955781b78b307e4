import { entryHash, GENESIS_HASH } from '../../store/audit-chain.js';
import type { AuditLogRepository } from '../../store/port.js';

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
 */
export async function verifyChain(log: AuditLogRepository): Promise<AuditVerification> {
  const cp = await log.checkpoint();
  const head = await log.head();
  const from = cp?.seq ?? 0;
  let prev = { seq: from, hash: cp?.hash ?? GENESIS_HASH };
  let checked = 0;
  const fail = (seq: number, problem: AuditProblem, detail: string): AuditVerification => ({ ok: false, checked, from_seq: from, first_problem: { seq, problem, detail } });
  for (;;) {
    const page = await log.range(prev.seq, PAGE);
    for (const e of page) {
      const expected = prev.seq + 1;
      if (e.seq !== expected) {
        const last = e.seq - 1;
        return fail(expected, 'missing', `entr${last === expected ? `y ${expected} is` : `ies ${expected}–${last} are`} missing (after entry ${prev.seq})`);
      }
      if (entryHash(e.prevHash, e.seq, e) !== e.hash) return fail(e.seq, 'altered', `entry ${e.seq} (${e.action}) does not match its hash: its content was changed`);
      if (e.prevHash !== prev.hash) return fail(e.seq, 'reordered', `entry ${e.seq} does not chain to entry ${prev.seq} (entries moved, renumbered or an earlier one rewritten)`);
      checked++;
      prev = { seq: e.seq, hash: e.hash };
    }
    if (page.length < PAGE) break;
  }
  if (head && head.seq > prev.seq)
    return fail(prev.seq + 1, 'missing', `entr${head.seq === prev.seq + 1 ? `y ${head.seq} is` : `ies ${prev.seq + 1}–${head.seq} are`} missing (the log ends at ${prev.seq}; ${head.seq} was appended)`);
  if (head && head.seq === prev.seq && head.hash !== prev.hash) return fail(prev.seq, 'altered', `entry ${prev.seq} is not the entry that was appended as ${prev.seq}`);
  return { ok: true, checked, from_seq: from };
}
