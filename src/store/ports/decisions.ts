import type { Action, Decision, DecisionSummary } from '../../core/decision.js';

export interface DecisionQuery {
  assetPair?: string;
  action?: Action;
  /** The provider that answered (`ensemble` for the ensemble). */
  provider?: string;
  executed?: boolean;
  limit?: number;
  /** Keyset page: only decisions after this one in newest-first order (created earlier, or at the same time with a smaller id). */
  before?: { createdAt: string; id: string };
}

export interface DecisionRepository {
  save(d: Decision): Promise<void>;
  get(id: string): Promise<Decision | null>;
  /** Newest first. */
  list(q?: DecisionQuery): Promise<Decision[]>;
  /** `list(q).map(decisionSummary)`, without reading whole records. */
  summaries(q?: DecisionQuery): Promise<DecisionSummary[]>;
  /** Records that a decision was acted on (idempotent), with what happened. */
  markExecuted(id: string, execution: Record<string, unknown>): Promise<void>;
}
