import type { Clock } from '../core/clock.js';
import { isFfeError } from '../core/errors.js';
import type { VenueOrder } from '../core/order.js';
import type { Venue } from '../venues/port.js';
import { isVenueOutage } from './guarded-venue.js';
import { NOT_RECEIVED, NOT_SENT, updateFromOrder } from './outcome.js';
import type { OrderIntent } from './intents.js';
import type { OrderJournalRepository } from '../store/port.js';
import { failureCode, reportFailure } from '../observability/failures.js';
import { annotate, span } from '../observability/span.js';

export interface SettleSettings {
  /** Look-ups by client order id after a placement with an unknown outcome. */
  attempts: number;
  intervalMs: number;
  /** An order the venue has not seen after this long since it was sent was never received. */
  graceMs: number;
}

const describe = (e: unknown) => (isFfeError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e));

/**
 * Sends journaled intents to a venue exactly once. The journal moves to SUBMITTING before the
 * network call; a failure whose outcome is unknown is never retried as a POST but settled by
 * asking the venue for the client order id.
 */
export class OrderSubmitter {
  constructor(
    private readonly journal: OrderJournalRepository,
    private readonly clock: Clock,
    private readonly settings: SettleSettings,
  ) {}

  async submit(intent: OrderIntent, venue: Venue): Promise<OrderIntent> {
    const cid = intent.clientOrderId;
    if (!(await this.journal.claim(cid, this.clock.now()))) return (await this.journal.get(cid))!;
    try {
      const order = await this.#send(intent, venue);
      return await this.journal.update(cid, updateFromOrder(order), this.clock.now());
    } catch (e) {
      if (!(isFfeError(e) && e.code === 'CIRCUIT_OPEN')) reportFailure({ kind: 'venue', code: failureCode(e), error: e, tags: { venue: venue.name, asset_pair: intent.pair } });
      return this.#failed(intent, venue, e);
    }
  }

  /** The venue call: one `ffe.venue.call` span when traced (what was sent, never the account or keys). */
  #send(intent: OrderIntent, venue: Venue): Promise<VenueOrder> {
    const cid = intent.clientOrderId;
    const attrs = { 'ffe.venue': venue.name, 'ffe.asset_pair': intent.pair, 'ffe.side': intent.side, 'ffe.order_type': intent.type, 'ffe.leg': intent.leg, 'ffe.client_order_id': cid };
    return span('ffe.venue.call', attrs, async () => {
      const order =
        intent.leg === 'close' && intent.positionId
          ? await venue.closePosition(intent.positionId, cid)
          : await venue.placeOrder({
              clientOrderId: cid,
              pair: intent.pair,
              side: intent.side,
              type: intent.type,
              units: intent.units,
              limitPrice: intent.limitPrice ?? undefined,
              stopLossPrice: intent.stopLossPrice ?? undefined,
              takeProfitPrice: intent.takeProfitPrice ?? undefined,
              reduceOnly: intent.reduceOnly || undefined,
            });
      annotate({ 'ffe.order_status': order.status });
      return order;
    });
  }

  /** What the journal records after a failed venue call: rejected, or unknown until the venue's record settles it. */
  async #failed(intent: OrderIntent, venue: Venue, e: unknown): Promise<OrderIntent> {
    const cid = intent.clientOrderId;
    if (isFfeError(e) && e.code === 'CIRCUIT_OPEN') {
      return this.journal.update(cid, { state: 'REJECTED', reason: `${NOT_SENT}: ${e.message}` }, this.clock.now());
    }
    if (!isVenueOutage(e)) {
      // A refusal may carry the venue's record of the rejected order (its id, what filled).
      const order = isFfeError(e) ? (e.details?.order as VenueOrder | undefined) : undefined;
      const fromVenue = order?.clientOrderId === cid ? updateFromOrder(order) : {};
      return this.journal.update(cid, { ...fromVenue, state: 'REJECTED', reason: describe(e) }, this.clock.now());
    }
    await this.journal.update(cid, { state: 'UNKNOWN', reason: describe(e) }, this.clock.now());
    for (let i = 0; i < this.settings.attempts; i++) {
      if (i > 0) await this.clock.sleep(this.settings.intervalMs);
      const settled = await this.settle((await this.journal.get(cid))!, venue);
      if (settled.state !== 'UNKNOWN') return settled;
    }
    return (await this.journal.get(cid))!;
  }

  /**
   * Settles an unfinished intent from the venue's own record. Not found means never received
   * once the grace period has passed; before that the request may still be in flight. On a
   * simulated venue (the paper book) an order exists once the sending process committed it in
   * one store transaction, so when that process is known to have stopped (`senderStopped`: a
   * killed run's in-flight decision) nothing is in flight and not found is final at once. This
   * matters most to a resumed replay: its clock restarts at the interrupted cycle's instant, so on
   * that clock the order is 0 s old and the grace period could never pass.
   */
  async settle(intent: OrderIntent, venue: Venue, opts: { senderStopped?: boolean } = {}): Promise<OrderIntent> {
    const now = this.clock.now();
    // SUBMITTING is committed before any network call, so an intent still in INTENT never left.
    if (intent.state === 'INTENT') {
      return this.journal.update(intent.clientOrderId, { state: 'REJECTED', reason: `${NOT_SENT}: the process stopped before sending it` }, now);
    }
    let order;
    try {
      order = await venue.getOrderByClientId(intent.clientOrderId);
    } catch (e) {
      return intent.state === 'ACCEPTED' ? intent : this.journal.update(intent.clientOrderId, { state: 'UNKNOWN', reason: `lookup failed: ${describe(e)}` }, now);
    }
    if (order) return this.journal.update(intent.clientOrderId, updateFromOrder(order), now);
    const sentAt = intent.submittedAt ?? intent.updatedAt;
    if (intent.state !== 'ACCEPTED' && opts.senderStopped && venue.capabilities.simulated) {
      return this.journal.update(
        intent.clientOrderId,
        { state: 'REJECTED', reason: `${NOT_RECEIVED}: the simulated venue has no order ${intent.clientOrderId} and the process that sent it stopped before the venue recorded it` },
        now,
      );
    }
    if (intent.state !== 'ACCEPTED' && now - sentAt >= this.settings.graceMs) {
      return this.journal.update(intent.clientOrderId, { state: 'REJECTED', reason: `${NOT_RECEIVED}: the venue has no order ${intent.clientOrderId} ${((now - sentAt) / 1000).toFixed(1)} s after it was sent` }, now);
    }
    return intent;
  }
}
