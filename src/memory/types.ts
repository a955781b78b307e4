import type { Action } from '../core/decision.js';
import type { MarketRegime } from '../core/market-analysis.js';

/** One provider's say in the decision that opened a trade. */
export interface ProviderVote {
  provider: string;
  action: Action;
  /** 0–100. */
  confidence: number;
}

import type { ClosedTradeFacts, ExitReason } from '../core/trade.js';

/** How a position ended: core's one list (core/trade.ts). */
export type { ExitReason };

/** A closed trade as the feedback loop sees it. Money is in the quote currency. */
export interface TradeOutcome extends ClosedTradeFacts {
  id: string;
  /** Position or trade id at the venue; unique so a trade is learned from once. */
  tradeId: string;
  decisionId: string | null;
  pair: string;
  /** Realised P&L after fees. */
  pnl: number;
  /** pnl / entry notional (fraction: 0.012 = 1.2 %). */
  returnFraction: number;
  /** pnl / planned risk (entry-to-stop distance × units); null without a stop. */
  rMultiple: number | null;
  holdingMs: number;
  regime: MarketRegime;
  exitReason: ExitReason;
  /** Confidence (0–100) of the decision that opened the trade. */
  confidence: number | null;
  votes: ProviderVote[];
}

/** A change of the ensemble weights, with why: the audit trail of the feedback loop. */
export interface WeightChange {
  id: string;
  /** ms, on the agent's clock. */
  at: number;
  /** `all` or a regime name when weights are learned per regime. */
  scope: string;
  previous: Record<string, number>;
  weights: Record<string, number>;
  outcomes: number;
  reason: string;
}
