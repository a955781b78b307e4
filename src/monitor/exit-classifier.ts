import type { ExitReason } from '../core/trade.js';

/** What our records (and the venue's order record) say about the order that closed a position. */
export interface ExitEvidence {
  clientOrderId: string | null;
  /** Reason logged by whoever sent the close through our order path (agent, CLI, emergency stop). */
  loggedReason: string | null;
  /** The order is in our journal (we sent it). */
  journaled: boolean;
  /** The decision our close order carried out, when it was one (a SELL on a long...). */
  closingDecisionId: string | null;
  /** The venue's own label of the order (e.g. `stop-loss`, `take-profit`, `liquidation`). */
  venueReason: string | null;
  /** The entry we sent carried a stop-loss / take-profit for the venue to hold. */
  entryHadStop: boolean;
  entryHadTarget: boolean;
}

const LOGGED: Record<string, ExitReason> = { manual: 'manual', kill_switch: 'kill_switch', signal: 'signal', max_hold: 'time_exit' };

/**
 * Classifies an exit from records, never from P&L: our own close orders carry the reason we
 * logged when sending them; venue-initiated closes carry the venue's label, and a stop or target
 * only counts when our entry order actually attached one.
 */
export function classifyExit(e: ExitEvidence): { reason: ExitReason; detail: string } {
  if (e.clientOrderId === null) return { reason: 'unknown', detail: 'position disappeared without a closing fill on record' };
  const id = e.clientOrderId;
  if (e.loggedReason && LOGGED[e.loggedReason]) return { reason: LOGGED[e.loggedReason], detail: `our ${e.loggedReason} close order ${id}` };
  if (e.journaled && e.closingDecisionId) return { reason: 'signal', detail: `closed by our order ${id} carrying out decision ${e.closingDecisionId}` };
  if (e.journaled) return { reason: 'manual', detail: `closed by our order ${id}, sent without a decision (manual command)` };
  const label = (e.venueReason ?? '').toLowerCase();
  if (/liquidat/.test(label)) return { reason: 'liquidation', detail: `venue liquidation order ${id}` };
  if (/stop/.test(label) && e.entryHadStop) return { reason: 'stop_loss', detail: `venue triggered our attached stop-loss (order ${id})` };
  if (/(take|profit|target)/.test(label) && e.entryHadTarget) return { reason: 'take_profit', detail: `venue triggered our attached take-profit (order ${id})` };
  return { reason: 'manual', detail: `closed outside FFE by order ${id}${e.venueReason ? ` (${e.venueReason})` : ''}` };
}
