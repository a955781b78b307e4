import { afterEach, describe, expect, it } from 'vitest';
import { FfeError } from '../../src/core/errors.js';
import type { OrderRequest, VenueOrder } from '../../src/core/order.js';
import type { Venue } from '../../src/venues/port.js';

/** One venue under test, fresh per test. */
export interface VenueHarness {
  venue: Venue;
  /** A pair the venue trades, its current price and a size the account can afford several times. */
  pair: string;
  price: number;
  units: string;
  /** Failure injection for venues behind a fake server. */
  fail?(mode: 'http-500' | 'unauthorized' | 'hang' | 'drop-after-accept' | 'normal'): void;
  /** `Position.venue` of positions in `pair` (default: the venue's name; an aggregator names the real venue). */
  positionVenue?: string;
  /** Secrets the venue was configured with: they must never show in errors. */
  secrets?: string[];
  close(): Promise<void>;
}

export interface ContractOptions {
  /** The harness has a fake server behind it that can fail on demand. */
  failureModes?: boolean;
}

const DEC = /^-?\d+(\.\d+)?$/;
let seq = 0;
const cid = (tag: string) => `ct-${tag}-${Date.now().toString(36)}-${(seq++).toString(36)}`;

async function failure(p: Promise<unknown>): Promise<FfeError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e, 'expected the call to fail with an FfeError').toBeInstanceOf(FfeError);
  return e as FfeError;
}

/**
 * What every Venue adapter promises, whatever is behind it. Run it with a harness factory:
 * `venueContract('paper', makeHarness)`.
 */
export function venueContract(name: string, make: () => Promise<VenueHarness>, opts: ContractOptions = {}): void {
  describe(`Venue contract: ${name}`, () => {
    let h: VenueHarness | null = null;
    const harness = async () => (h = await make());
    afterEach(async () => {
      await h?.close();
      h = null;
    });
    const market = (x: VenueHarness, side: 'buy' | 'sell', extra: Partial<OrderRequest> = {}): OrderRequest => ({
      clientOrderId: cid(side),
      pair: x.pair,
      side,
      type: 'market',
      units: x.units,
      ...extra,
    });

    it('reports balances and equity as decimal strings', async () => {
      const { venue } = await harness();
      const balances = await venue.balances();
      expect(balances.length).toBeGreaterThan(0);
      for (const b of balances) {
        expect(b.currency).toMatch(/^[A-Z0-9]{2,10}$/);
        expect(b.total).toMatch(DEC);
        expect(b.available).toMatch(DEC);
        expect(Number(b.available)).toBeGreaterThanOrEqual(0);
      }
      const eq = await venue.equity();
      expect(eq.value).toMatch(DEC);
      expect(Number(eq.value)).toBeGreaterThan(0);
      expect(venue.capabilities.queryByClientId).toBe(true);
    });

    it('fills a market buy, which then shows in positions and fills', async () => {
      const x = await harness();
      const req = market(x, 'buy');
      const o = await x.venue.placeOrder(req);
      expect(o).toMatchObject({ clientOrderId: req.clientOrderId, pair: x.pair, side: 'buy', type: 'market', status: 'filled' });
      expect(Number(o.filledUnits)).toBe(Number(x.units));
      expect(Number(o.averagePrice)).toBeGreaterThan(0);
      expect(Math.abs(Number(o.averagePrice) / x.price - 1)).toBeLessThan(0.05);
      const pos = (await x.venue.positions()).find((p) => p.pair === x.pair);
      expect(pos).toMatchObject({ side: 'long', venue: x.positionVenue ?? x.venue.name });
      expect(Number(pos!.units)).toBe(Number(x.units));
      expect(pos!.entryPrice).toMatch(DEC);
      const fills = (await x.venue.fills()).filter((f) => f.clientOrderId === req.clientOrderId);
      expect(fills.length).toBeGreaterThan(0);
      expect(fills.reduce((s, f) => s + Number(f.units), 0)).toBeCloseTo(Number(x.units), 9);
      expect(fills.every((f) => f.venueOrderId === o.venueOrderId && f.side === 'buy' && DEC.test(f.price) && DEC.test(f.fee))).toBe(true);
    });

    it('places a client order id once: a repeat returns the same order and trades nothing more', async () => {
      const x = await harness();
      const req = market(x, 'buy');
      const first = await x.venue.placeOrder(req);
      let second: VenueOrder | FfeError;
      try {
        second = await x.venue.placeOrder(req);
      } catch (e) {
        second = e as FfeError;
      }
      if (second instanceof Error) {
        expect(second).toBeInstanceOf(FfeError);
        expect((second as FfeError).kind).toBe('venue');
      } else {
        expect(second.venueOrderId).toBe(first.venueOrderId);
      }
      const pos = (await x.venue.positions()).find((p) => p.pair === x.pair);
      expect(Number(pos!.units)).toBe(Number(x.units));
      expect((await x.venue.fills()).filter((f) => f.clientOrderId === req.clientOrderId).reduce((s, f) => s + Number(f.units), 0)).toBeCloseTo(Number(x.units), 9);
      expect((await x.venue.getOrderByClientId(req.clientOrderId))?.venueOrderId).toBe(first.venueOrderId);
    });

    it('looks up an unknown client order id as null', async () => {
      const { venue } = await harness();
      expect(await venue.getOrderByClientId(cid('never-sent'))).toBeNull();
    });

    it('rests a far limit order in openOrders and cancels it', async () => {
      const x = await harness();
      const req: OrderRequest = { clientOrderId: cid('limit'), pair: x.pair, side: 'buy', type: 'limit', units: x.units, limitPrice: String(x.price / 2) };
      const o = await x.venue.placeOrder(req);
      expect(o.status).toBe('open');
      expect(Number(o.limitPrice)).toBe(x.price / 2);
      expect((await x.venue.openOrders()).map((r) => r.venueOrderId)).toContain(o.venueOrderId);
      const c = await x.venue.cancelOrder(o.venueOrderId);
      expect(c.status).toBe('cancelled');
      expect((await x.venue.openOrders()).map((r) => r.venueOrderId)).not.toContain(o.venueOrderId);
      expect((await x.venue.getOrderByClientId(req.clientOrderId))?.status).toBe('cancelled');
    });

    it('closes a position flat, once per client order id', async () => {
      const x = await harness();
      await x.venue.placeOrder(market(x, 'buy'));
      const pos = (await x.venue.positions()).find((p) => p.pair === x.pair)!;
      const closeId = cid('close');
      const c = await x.venue.closePosition(pos.id, closeId);
      expect(c).toMatchObject({ clientOrderId: closeId, side: 'sell', status: 'filled' });
      expect((await x.venue.positions()).find((p) => p.pair === x.pair)).toBeUndefined();
      expect((await x.venue.closePosition(pos.id, closeId)).venueOrderId).toBe(c.venueOrderId);
    });

    it('fails as FfeError kind venue: cancelling an unknown order, closing an unknown position', async () => {
      const { venue } = await harness();
      const a = await failure(venue.cancelOrder('no-such-order-123'));
      expect(a.kind).toBe('venue');
      expect(a.code).toBe('ORDER_NOT_FOUND');
      const b = await failure(venue.closePosition('XRPUSD', cid('close')));
      expect(b.kind).toBe('venue');
      expect(b.code).toBe('POSITION_NOT_FOUND');
    });

    it('honours its capability flags: short selling and attached stops', async () => {
      const x = await harness();
      const caps = x.venue.capabilities;
      const short = market(x, 'sell');
      if (caps.short) {
        expect((await x.venue.placeOrder(short)).status).toBe('filled');
        expect((await x.venue.positions()).find((p) => p.pair === x.pair)?.side).toBe('short');
      } else {
        expect((await failure(x.venue.placeOrder(short))).kind).toBe('venue');
        expect((await x.venue.positions()).find((p) => p.pair === x.pair)).toBeUndefined();
      }
      const stopLossPrice = String(Math.round(x.price * 0.9 * 1e5) / 1e5);
      const takeProfitPrice = String(Math.round(x.price * 1.1 * 1e5) / 1e5);
      const protectedBuy = market(x, 'buy', { stopLossPrice, takeProfitPrice, units: caps.short ? String(Number(x.units) * 2) : x.units });
      if (caps.attachedStops) {
        expect((await x.venue.placeOrder(protectedBuy)).status).toBe('filled');
        const pos = (await x.venue.positions()).find((p) => p.pair === x.pair)!;
        expect(pos.side).toBe('long');
        expect(Number(pos.stopLossPrice)).toBeCloseTo(Number(stopLossPrice), 5);
        expect(Number(pos.takeProfitPrice)).toBeCloseTo(Number(takeProfitPrice), 5);
      } else {
        expect((await failure(x.venue.placeOrder(protectedBuy))).code).toBe('VENUE_UNSUPPORTED');
        expect(await x.venue.getOrderByClientId(protectedBuy.clientOrderId)).toBeNull();
      }
    });

    if (opts.failureModes) {
      it('maps a venue outage to VENUE_UNAVAILABLE and a refused key to VENUE_AUTH, never echoing secrets', async () => {
        const x = await harness();
        x.fail!('http-500');
        const down = await failure(x.venue.balances());
        expect([down.kind, down.code]).toEqual(['venue', 'VENUE_UNAVAILABLE']);
        x.fail!('unauthorized');
        const auth = await failure(x.venue.placeOrder(market(x, 'buy')));
        expect([auth.kind, auth.code]).toEqual(['venue', 'VENUE_AUTH']);
        for (const e of [down, auth]) {
          const text = `${e.message} ${JSON.stringify(e.details ?? {})}`;
          for (const s of x.secrets ?? []) expect(text).not.toContain(s);
        }
      });

      it('times out a hung request as VENUE_TIMEOUT; unless the outcome is marked unknown, nothing was placed', async () => {
        const x = await harness();
        const req = market(x, 'buy');
        x.fail!('hang');
        const e = await failure(x.venue.placeOrder(req));
        expect([e.kind, e.code]).toEqual(['venue', 'VENUE_TIMEOUT']);
        x.fail!('normal');
        const found = await x.venue.getOrderByClientId(req.clientOrderId);
        if (e.details?.outcome !== 'unknown') expect(found).toBeNull();
      });

      it('an order accepted before the connection dropped is found by its client order id', async () => {
        const x = await harness();
        const req = market(x, 'buy');
        x.fail!('drop-after-accept');
        const e = await failure(x.venue.placeOrder(req));
        expect(e.details?.outcome).toBe('unknown');
        x.fail!('normal');
        const found = await x.venue.getOrderByClientId(req.clientOrderId);
        expect(found).toMatchObject({ clientOrderId: req.clientOrderId, status: 'filled' });
        // Placing it again must not trade twice.
        await x.venue.placeOrder(req).catch(() => undefined);
        const pos = (await x.venue.positions()).find((p) => p.pair === x.pair);
        expect(Number(pos!.units)).toBe(Number(x.units));
      });
    }
  });
}
