import type { NewDomainEvent } from '../core/events.js';
import type { OrderJournalRepository, Store } from '../store/port.js';
import type { OrderIntent } from './intents.js';

const order = (i: OrderIntent) => ({ clientOrderId: i.clientOrderId, account: i.account, venue: i.venue, decisionId: i.decisionId, leg: i.leg, positionId: i.positionId, pair: i.pair, side: i.side });

export const orderSubmitted = (i: OrderIntent, at: number): NewDomainEvent => ({
  type: 'OrderSubmitted',
  at,
  payload: { ...order(i), type: i.type, units: i.units, stopLossPrice: i.stopLossPrice, takeProfitPrice: i.takeProfitPrice, reduceOnly: i.reduceOnly },
});

export const orderFilled = (i: OrderIntent, at: number): NewDomainEvent => ({
  type: 'OrderFilled',
  at,
  payload: { ...order(i), units: i.filledUnits, price: i.averagePrice, fee: i.fees, venueOrderId: i.venueOrderId },
});

export const orderRejected = (i: OrderIntent, at: number): NewDomainEvent => ({
  type: 'OrderRejected',
  at,
  payload: { ...order(i), units: i.units, reason: i.reason },
});

/**
 * The order journal of the running program: each journal change that is news is written with its
 * event in one transaction. An intent recorded (a new client order id) is OrderSubmitted; an
 * intent that becomes FILLED is OrderFilled (REJECTED: OrderRejected), whichever path records the fill (the submission,
 * a settle look-up, reconciliation), so every venue and every caller (CLI, agent, approvals)
 * reports the same way, each order exactly once. Backtests keep the plain journal.
 */
export function journalWithEvents(store: Pick<Store, 'orders' | 'transaction'>): OrderJournalRepository {
  const plain = store.orders;
  return {
    open: (i, at) =>
      store.transaction(async (tx) => {
        const r = await tx.orders.open(i, at);
        if (r.created) await tx.events.append(orderSubmitted(r.intent, at));
        return r;
      }),
    update: (cid, u, at) =>
      store.transaction(async (tx) => {
        const before = await tx.orders.get(cid);
        const after = await tx.orders.update(cid, u, at);
        if (after.state === 'FILLED' && before?.state !== 'FILLED') await tx.events.append(orderFilled(after, at));
        if (after.state === 'REJECTED' && before?.state !== 'REJECTED') await tx.events.append(orderRejected(after, at));
        return after;
      }),
    get: (cid) => plain.get(cid),
    claim: (cid, at) => plain.claim(cid, at),
    unsettled: (account) => plain.unsettled(account),
    list: (q) => plain.list(q),
    netPositions: (account) => plain.netPositions(account),
    adjust: (a) => plain.adjust(a),
    adjustmentIds: (account) => plain.adjustmentIds(account),
  };
}
