import type { Decimal, OrderSide, OrderType } from '../core/order.js';

/**
 * Journal states. INTENT is written before anything leaves the process, SUBMITTING right before
 * the network call; ACCEPTED (resting at the venue), FILLED and REJECTED are what the venue said;
 * UNKNOWN means the call failed without an answer and the venue must be asked by client order id.
 */
export const INTENT_STATES = ['INTENT', 'SUBMITTING', 'ACCEPTED', 'FILLED', 'REJECTED', 'UNKNOWN'] as const;
export type IntentState = (typeof INTENT_STATES)[number];
/** States whose outcome is not final: reconcile asks the venue about them. */
export const UNSETTLED_STATES: readonly IntentState[] = ['INTENT', 'SUBMITTING', 'UNKNOWN', 'ACCEPTED'];

export type LegKind = 'open' | 'close';

export interface NewIntent {
  clientOrderId: string;
  /** `paper` or `live`. */
  account: string;
  venue: string;
  decisionId: string | null;
  leg: LegKind;
  positionId: string | null;
  pair: string;
  side: OrderSide;
  type: OrderType;
  units: Decimal;
  limitPrice: Decimal | null;
  stopLossPrice: Decimal | null;
  takeProfitPrice: Decimal | null;
  reduceOnly: boolean;
}

export interface OrderIntent extends NewIntent {
  state: IntentState;
  venueOrderId: string | null;
  filledUnits: Decimal;
  averagePrice: Decimal | null;
  fees: Decimal;
  /** Why it was rejected or is unknown. */
  reason: string | null;
  /** ms. */
  createdAt: number;
  updatedAt: number;
  submittedAt: number | null;
}

export interface IntentUpdate {
  state: IntentState;
  venueOrderId?: string | null;
  filledUnits?: Decimal;
  averagePrice?: Decimal | null;
  fees?: Decimal;
  reason?: string | null;
  submittedAt?: number;
}

/** A correction of the journal's positions that a person accepted (`ffe reconcile --accept`). */
export interface PositionAdjustment {
  id: string;
  account: string;
  pair: string;
  /** Signed base units added to the journal's position. */
  units: Decimal;
  reason: string;
  createdAt: number;
}
