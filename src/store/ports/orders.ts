import type { Decimal } from '../../core/order.js';
import type { IntentUpdate, NewIntent, OrderIntent, PositionAdjustment } from '../../execution/intents.js';

/**
 * The order journal: the store's record of every order we meant to send, written before the
 * venue hears of it. It is what makes submission exactly-once across crashes.
 */
export interface OrderJournalRepository {
  /** Writes the intent unless its client order id is already journaled; returns the stored row either way. */
  open(i: NewIntent, at: number): Promise<{ intent: OrderIntent; created: boolean }>;
  get(clientOrderId: string): Promise<OrderIntent | null>;
  /**
   * INTENT → SUBMITTING, only if it is still INTENT; false when another process has already
   * claimed or settled it, in which case the caller must not send it.
   */
  claim(clientOrderId: string, at: number): Promise<boolean>;
  update(clientOrderId: string, u: IntentUpdate, at: number): Promise<OrderIntent>;
  /** Intents in INTENT, SUBMITTING, UNKNOWN or ACCEPTED, oldest first. */
  unsettled(account: string): Promise<OrderIntent[]>;
  list(q: { account?: string; decisionId?: string; limit?: number }): Promise<OrderIntent[]>;
  /** Net signed units per pair implied by filled units and accepted adjustments. */
  netPositions(account: string): Promise<Record<string, Decimal>>;
  /** Records an adjustment; false when one with its id exists (adjustments are idempotent). */
  adjust(a: PositionAdjustment): Promise<boolean>;
  adjustmentIds(account: string): Promise<Set<string>>;
}
