import type { NewDomainEvent } from '../core/events.js';
import type { AgentEvent } from './types.js';

const TYPE_OF: Record<string, NewDomainEvent['type']> = {
  kill_switch: 'KillSwitchTripped',
  weights: 'WeightsChanged',
  learned: 'TradeLearned',
  denied: 'GateDenied',
};

/**
 * The domain event an agent event is: its own type where there is one, AgentStateChanged
 * otherwise (transitions, halts, starts, skips, and `executed`: the orders' OrderSubmitted and
 * OrderFilled come from the order journal, for the agent's orders and everyone else's alike).
 */
export function agentDomainEvent(e: AgentEvent): NewDomainEvent {
  return { type: TYPE_OF[e.kind] ?? 'AgentStateChanged', at: e.at, payload: { kind: e.kind, state: e.state, message: e.message, ...(e.data ? { data: e.data } : {}) } };
}

/** The agent event a domain event carries (subscribers that format agent lines). */
export function agentEventOf(payload: Record<string, unknown>, at: number): AgentEvent | null {
  if (typeof payload.kind !== 'string' || typeof payload.message !== 'string') return null;
  return { at, kind: payload.kind, state: String(payload.state ?? ''), message: payload.message, ...(payload.data ? { data: payload.data as Record<string, unknown> } : {}) };
}
