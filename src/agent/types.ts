import type { Decision } from '../core/decision.js';

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired';

/** A decision waiting for a person (approval mode manual). It is never executed after `expiresAt`. */
export interface Approval {
  id: string;
  decisionId: string;
  pair: string;
  action: Decision['action'];
  confidence: number;
  summary: string;
  /** Suggested size in base units (absent on approvals queued before it was recorded). */
  sizeUnits?: number;
  status: ApprovalStatus;
  /** ms. */
  createdAt: number;
  expiresAt: number;
  decidedAt: number | null;
  note: string | null;
}

export interface AgentEvent {
  /** ms on the agent's clock. */
  at: number;
  kind: string;
  state: string;
  message: string;
  data?: Record<string, unknown>;
}
