import type { NewDomainEvent } from '../core/events.js';
import type { MonitorRepository, Store } from '../store/port.js';
import type { TradeMetrics } from './types.js';

/** A closed position as subscribers see it: how it ended and its P&L (core/trade.ts's closed-trade figures). */
export const positionClosed = (m: TradeMetrics): NewDomainEvent => ({
  type: 'PositionClosed',
  at: m.closedAt,
  payload: {
    tradeId: m.tradeId,
    decisionId: m.decisionId,
    venue: m.venue,
    pair: m.pair,
    side: m.side,
    units: m.units,
    entryPrice: m.entryPrice,
    exitPrice: m.exitPrice,
    openedAt: m.openedAt,
    closedAt: m.closedAt,
    fees: m.fees,
    pnl: m.pnl,
    returnFraction: m.returnFraction,
    holdingMs: m.holdingMs,
    exitReason: m.exitReason,
    closingOrderId: m.closingOrderId,
  },
});

/**
 * The monitor's store in the running program: a closed trade's record and its PositionClosed
 * event are one transaction, written once per trade (the record is stored once per trade id),
 * whatever closed it: our close order (manual or the agent's), or the venue's stop, target or
 * liquidation.
 */
export function monitorWithEvents(store: Pick<Store, 'monitor' | 'transaction'>): MonitorRepository {
  const plain = store.monitor;
  return {
    saveTracker: (t) => plain.saveTracker(t),
    removeTracker: (key) => plain.removeTracker(key),
    trackers: () => plain.trackers(),
    addMetrics: (m) =>
      store.transaction(async (tx) => {
        const added = await tx.monitor.addMetrics(m);
        if (added) await tx.events.append(positionClosed(m));
        return added;
      }),
    metrics: (q) => plain.metrics(q),
    unlearned: () => plain.unlearned(),
    markLearned: (tradeId) => plain.markLearned(tradeId),
  };
}
