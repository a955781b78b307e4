import type { DomainEvent, DomainEventType } from '../../core/events.js';
import type { Runtime } from '../runtime.js';
import { auditUseCases, type AuditInput } from './use-cases.js';

/** Agent event kinds that change what the agent is doing or did (not its routine skips, analyses or day rollovers). */
const AGENT_KINDS: Record<string, string> = {
  start: 'agent.start',
  transition: 'agent.transition',
  stop_requested: 'agent.stop_requested',
  stopped: 'agent.stopped',
  recovery: 'agent.recovery',
  approval: 'approval.requested',
  executed: 'agent.executed',
  execution_failed: 'agent.execution_failed',
  close_failed: 'agent.close_failed',
};

const FIXED: Partial<Record<DomainEventType, string>> = {
  OrderSubmitted: 'order.submitted',
  OrderFilled: 'order.filled',
  KillSwitchTripped: 'kill_switch.tripped',
};

/** The audit action a domain event is, or null when it is not audited. */
export function auditActionOf(e: DomainEvent): string | null {
  if (e.type === 'AgentStateChanged') return AGENT_KINDS[String(e.payload.kind)] ?? null;
  return FIXED[e.type] ?? null;
}

/** Who an event names as its author (an emergency stop's `by`), else the agent. */
function actorOf(e: DomainEvent): string {
  const data = (e.payload.data ?? {}) as Record<string, unknown>;
  const emergency = (data.emergency ?? {}) as Record<string, unknown>;
  const by = e.payload.by ?? data.by ?? emergency.by;
  return typeof by === 'string' && by.trim() ? by : 'agent';
}

/**
 * Records the domain events every order and halt produces (OrderSubmitted, OrderFilled,
 * KillSwitchTripped, the agent's state changes and approval requests), whoever caused them: the
 * agent, a CLI command, an API call. So every order is in the audit log, even one placed by an
 * interface that records nothing itself. Where the store reports a transaction's events before
 * it commits (EventOutbox.onCommitting), their entries are appended in that transaction, in event
 * order: they commit with the events (a replay cycle's handful in its one commit, instead of a
 * transaction of their own after it). Should that append fail, the transaction goes on without
 * them and they are recorded as the others are: as they commit, in the runtime's background
 * queue, in event order (`rt.settled()` and closing the runtime wait for them), the events
 * published in one synchronous run (those of one committed transaction) appended together in
 * one store transaction (each alone should that fail). Returns unsubscribe.
 */
export function auditDomainEvents(rt: Runtime): () => void {
  const audit = auditUseCases(rt);
  /** Events whose entries their own transaction appended. */
  const recorded = new WeakSet<DomainEvent>();
  const inputOf = (e: DomainEvent): AuditInput | null => {
    const action = auditActionOf(e);
    if (!action) return null;
    const actor = actorOf(e);
    return { actor, role: actor === 'agent' ? 'agent' : 'operator', action, params: { ...e.payload, event_seq: e.seq }, result: 'ok', at: e.at };
  };
  const inTransaction =
    rt.app.store.events.onCommitting?.(async (events, tx) => {
      const audited = events.filter((e) => auditActionOf(e) !== null);
      if (audited.length === 0) return;
      try {
        await audit.recordAll(
          audited.map((e) => inputOf(e)!),
          tx,
        );
      } catch {
        return;
      }
      for (const e of audited) recorded.add(e);
    }) ?? (() => {});
  let open: AuditInput[] | null = null;
  const afterCommit = rt.events.subscribe((e) => {
    if (recorded.has(e)) return;
    const input = inputOf(e);
    if (!input) return;
    if (open) {
      open.push(input);
      return;
    }
    const batch = [input];
    open = batch;
    // The batch closes when this synchronous run of publishing ends; later events start another.
    queueMicrotask(() => {
      if (open === batch) open = null;
    });
    rt.background(async () => {
      if (open === batch) open = null;
      try {
        await audit.recordAll(batch);
      } catch {
        for (const one of batch) await audit.record(one).catch(() => undefined);
      }
    });
  });
  return () => {
    inTransaction();
    afterCommit();
  };
}
