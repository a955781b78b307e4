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
 * Records, as they commit, the domain events every order and halt produces (OrderSubmitted,
 * OrderFilled, KillSwitchTripped, the agent's state changes and approval requests), whoever
 * caused them: the agent, a CLI command, an API call. So every order is in the audit log, even
 * one placed by an interface that records nothing itself. Writes run in the runtime's background
 * queue, in event order (`rt.settled()` and closing the runtime wait for them). The events
 * published in one synchronous run (those of one committed transaction) are appended together,
 * in order, in one store transaction: one commit for a replay cycle's handful instead of one
 * each. Should that batch fail, each entry is tried alone, as before. Returns unsubscribe.
 */
export function auditDomainEvents(rt: Runtime): () => void {
  const audit = auditUseCases(rt);
  let open: AuditInput[] | null = null;
  return rt.events.subscribe((e) => {
    const action = auditActionOf(e);
    if (!action) return;
    const actor = actorOf(e);
    const input: AuditInput = { actor, role: actor === 'agent' ? 'agent' : 'operator', action, params: { ...e.payload, event_seq: e.seq }, result: 'ok', at: e.at };
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
}
