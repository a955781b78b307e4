import type { ExitReason } from '../core/trade.js';
import type { ClosedTrade } from '../memory/outcome.js';
import type { PositionSide } from '../core/order.js';

/** A position being watched: live price, P&L and its excursions since it opened. */
export interface TrackedPosition {
  /** Unique per holding: venue position id plus opening time (paper venues reuse the pair as id). */
  key: string;
  positionId: string;
  venue: string;
  pair: string;
  side: PositionSide;
  units: number;
  entryPrice: number;
  openedAt: number;
  stopLossPrice: number | null;
  takeProfitPrice: number | null;
  lastPrice: number;
  unrealizedPnl: number;
  /** Best and worst price move in the position's favour seen so far, as fractions of entry (MFE ≥ 0, MAE ≤ 0). */
  mfe: number;
  mae: number;
  updatedAt: number;
  /** False while waiting in the pending queue (over the tracker limit): no excursions recorded. */
  tracked: boolean;
}

/** The persisted record of a finished trade. */
export interface TradeMetrics extends ClosedTrade {
  id: string;
  venue: string;
  pnl: number;
  returnFraction: number;
  holdingMs: number;
  /** Null when the position was never tracked (it waited in the pending queue). */
  mfe: number | null;
  mae: number | null;
  /** Client order id of the order that closed it, and what our records say about it. */
  closingOrderId: string | null;
  exitDetail: string;
}

export type { ExitReason };

/** Why we sent an order that closed a position. */
export type CloseReason = 'manual' | 'kill_switch' | 'signal' | 'max_hold';
