import type { NewDomainEvent } from '../core/events.js';
import type { ApprovalRepository, Store } from '../store/port.js';
import type { Approval } from './types.js';

/** What subscribers (WebSocket, Telegram, webhooks) learn of an approval: plain JSON, no reasoning or prompt. */
export function approvalEvent(type: 'ApprovalRequested' | 'ApprovalDecided', a: Approval, at: number, by: string | null = null): NewDomainEvent {
  return {
    type,
    at,
    payload: {
      approvalId: a.id,
      decisionId: a.decisionId,
      pair: a.pair,
      action: a.action,
      size: a.sizeUnits ?? null,
      confidence: a.confidence,
      summary: a.summary,
      expiresAt: a.expiresAt,
      status: a.status,
      by,
      ...(a.note ? { note: a.note } : {}),
    },
  };
}

/**
 * The approval store of the running program: queuing an approval and its ApprovalRequested event
 * are one transaction, and so are a decision on it and its ApprovalDecided event (a lost race
 * changes no row and emits nothing).
 */
export function approvalsWithEvents(store: Pick<Store, 'approvals' | 'transaction'>, now: () => number): ApprovalRepository {
  const plain = store.approvals;
  return {
    add: (a) =>
      store.transaction(async (tx) => {
        await tx.approvals.add(a);
        // add() ignores a second approval of the same decision: only a row stored under this id is announced.
        const after = await tx.approvals.get(a.id);
        if (after) await tx.events.append(approvalEvent('ApprovalRequested', after, now()));
      }),
    get: (id) => plain.get(id),
    list: (q) => plain.list(q),
    decide: (id, status, at, note, by) =>
      store.transaction(async (tx) => {
        if (!(await tx.approvals.decide(id, status, at, note, by))) return false;
        const a = await tx.approvals.get(id);
        if (a) await tx.events.append(approvalEvent('ApprovalDecided', a, now(), by ?? null));
        return true;
      }),
  };
}
