import type { CloseReason, TrackedPosition, TradeMetrics } from '../../monitor/types.js';

/** Persistence of live trackers (so a restart keeps MFE/MAE) and of finished-trade metrics. */
export interface MonitorRepository {
  saveTracker(t: TrackedPosition): Promise<void>;
  removeTracker(key: string): Promise<void>;
  trackers(): Promise<TrackedPosition[]>;
  /** Stores once per tradeId; false when already stored. */
  addMetrics(m: TradeMetrics): Promise<boolean>;
  /** Oldest first by close time. */
  metrics(q?: { pair?: string; since?: number; limit?: number }): Promise<TradeMetrics[]>;
  /** Metrics not yet turned into memory outcomes, oldest first. */
  unlearned(): Promise<TradeMetrics[]>;
  markLearned(tradeId: string): Promise<void>;
}

/** Why we sent an order that closed a position; written by whoever sends it, before sending. */
export interface CloseReasonRepository {
  record(clientOrderId: string, reason: CloseReason, at: number): Promise<void>;
  reasonOf(clientOrderId: string): Promise<string | null>;
}
