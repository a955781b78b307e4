import type { TradeOutcome, WeightChange } from '../../memory/types.js';

export interface OutcomeQuery {
  pair?: string;
  regime?: string;
  /** Most recent N (by close time), returned oldest first. */
  limit?: number;
}

/** Storage of closed-trade outcomes and the weight audit trail; adapters in src/store/<engine>/. */
export interface MemoryRepository {
  /** Stores an outcome once per tradeId; returns false when it was already there. */
  addOutcome(o: TradeOutcome): Promise<boolean>;
  /** Oldest first. */
  outcomes(q?: OutcomeQuery): Promise<TradeOutcome[]>;
  addWeightChange(c: WeightChange): Promise<void>;
  /** Oldest first. */
  weightChanges(scope?: string): Promise<WeightChange[]>;
  latestWeights(scope: string): Promise<WeightChange | null>;
}
