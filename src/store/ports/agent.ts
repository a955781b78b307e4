import type { AgentEvent, Approval, ApprovalStatus } from '../../agent/types.js';

export interface ApprovalRepository {
  add(a: Approval): Promise<void>;
  get(id: string): Promise<Approval | null>;
  /** Newest first; `expiredBy`: only those whose expiry is at or before that time (ms). */
  list(q?: { status?: ApprovalStatus; limit?: number; expiredBy?: number }): Promise<Approval[]>;
  /**
   * Moves a pending approval to `status`; false when it was no longer pending (a race lost, or
   * already decided). `by` names who decided (`user:alice`, `system` for expiry) for the
   * ApprovalDecided event; the row itself does not keep it (the audit log does).
   */
  decide(id: string, status: Exclude<ApprovalStatus, 'pending'>, at: number, note: string | null, by?: string): Promise<boolean>;
}

/** Small durable key → JSON state of the agent (run status, counters, replay cursor, in-flight decision). */
export interface AgentStateRepository {
  get<T>(key: string): Promise<T | null>;
  set(key: string, value: unknown, at: number): Promise<void>;
  /** Appends an observable event (state changes, halts, trades). */
  event(e: AgentEvent): Promise<void>;
  events(limit?: number): Promise<AgentEvent[]>;
}
