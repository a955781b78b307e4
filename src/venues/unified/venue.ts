import type { AssetClass } from '../../core/pair.js';
import { classifyPair } from '../../core/pair.js';
import type { Balance, Fill, OrderRequest, Position, VenueOrder } from '../../core/order.js';
import { D, text, type Dec } from '../decimal.js';
import { venueError } from '../errors.js';
import type { BarPrices, Venue, VenueCapabilities } from '../port.js';

export type Routes = Record<AssetClass, Venue>;

const SEP = ':';
const tag = (venue: Venue, id: string) => `${venue.name}${SEP}${id}`;

/**
 * One Venue over several: orders go to the venue of the pair's asset class; balances,
 * positions, orders and fills are gathered from all of them. Ids the caller gets back
 * (`venueOrderId`, position `id`, `fillId`) are prefixed with the venue name (`oanda:123`), so
 * `cancelOrder` and `closePosition` find their way back.
 */
export class UnifiedVenue implements Venue {
  readonly name = 'unified';
  readonly capabilities: VenueCapabilities;
  private readonly venues: Venue[];

  constructor(private readonly routes: Routes) {
    this.venues = [...new Set(Object.values(routes))];
    const names = this.venues.map((v) => v.name);
    if (new Set(names).size !== names.length) throw venueError('VENUE_UNSUPPORTED', `unified venue: two different venues are named ${names.join(', ')}`);
    const every = (k: 'market' | 'limit' | 'attachedStops' | 'short' | 'queryByClientId' | 'simulated') => this.venues.every((v) => v.capabilities[k]);
    // Flags hold for every routed venue; `venueFor(pair).capabilities` has the exact ones.
    this.capabilities = {
      market: every('market'),
      limit: every('limit'),
      attachedStops: every('attachedStops'),
      short: every('short'),
      queryByClientId: every('queryByClientId'),
      assetClasses: (Object.keys(routes) as AssetClass[]).filter((c) => routes[c].capabilities.assetClasses.includes(c)),
      simulated: every('simulated'),
    };
  }

  /** The venue that trades `pair`. */
  venueFor(pair: string): Venue {
    return this.routes[classifyPair(pair).assetClass];
  }

  private byTag(id: string, what: string): { venue: Venue; id: string } {
    const at = id.indexOf(SEP);
    const venue = at > 0 ? this.venues.find((v) => v.name === id.slice(0, at)) : undefined;
    if (!venue) {
      const code = what === 'position' ? 'POSITION_NOT_FOUND' : 'ORDER_NOT_FOUND';
      throw venueError(code, `unified venue: "${id}" names no ${what} of ${this.venues.map((v) => v.name).join(', ')} (ids look like ${this.venues[0]?.name ?? 'venue'}${SEP}<id>)`);
    }
    return { venue, id: id.slice(at + 1) };
  }

  private order = (v: Venue, o: VenueOrder): VenueOrder => ({ ...o, venueOrderId: tag(v, o.venueOrderId) });

  async balances(): Promise<Balance[]> {
    const sums = new Map<string, { total: Dec; available: Dec }>();
    for (const v of this.venues) {
      for (const b of await v.balances()) {
        const s = sums.get(b.currency) ?? { total: new D(0), available: new D(0) };
        sums.set(b.currency, { total: s.total.add(b.total), available: s.available.add(b.available) });
      }
    }
    return [...sums].map(([currency, s]) => ({ currency, total: text(s.total), available: text(s.available) }));
  }

  /** Per venue, before summing. */
  async balancesByVenue(): Promise<Record<string, Balance[]>> {
    const out: Record<string, Balance[]> = {};
    for (const v of this.venues) out[v.name] = await v.balances();
    return out;
  }

  async equity(): Promise<{ currency: string; value: string }> {
    const parts = await Promise.all(this.venues.map(async (v) => ({ venue: v.name, ...(await v.equity()) })));
    const currencies = new Set(parts.map((p) => p.currency));
    if (currencies.size > 1) {
      throw venueError('VENUE_UNSUPPORTED', `unified venue: equity is kept in different currencies (${parts.map((p) => `${p.venue} ${p.currency}`).join(', ')}) and is not converted`);
    }
    return { currency: parts[0]?.currency ?? 'USD', value: text(parts.reduce((a, p) => a.add(p.value), new D(0))) };
  }

  async positions(): Promise<Position[]> {
    const out: Position[] = [];
    for (const v of this.venues) for (const p of await v.positions()) out.push({ ...p, id: tag(v, p.id) });
    return out;
  }

  async openOrders(): Promise<VenueOrder[]> {
    const out: VenueOrder[] = [];
    for (const v of this.venues) for (const o of await v.openOrders()) out.push(this.order(v, o));
    return out;
  }

  async placeOrder(req: OrderRequest): Promise<VenueOrder> {
    let venue: Venue;
    try {
      venue = this.venueFor(req.pair);
    } catch (e) {
      throw venueError('VENUE_REJECTED', `unified venue: ${(e as Error).message}`, { reason: 'INVALID_PAIR' });
    }
    return this.order(venue, await venue.placeOrder(req));
  }

  async cancelOrder(venueOrderId: string): Promise<VenueOrder> {
    const { venue, id } = this.byTag(venueOrderId, 'order');
    return this.order(venue, await venue.cancelOrder(id));
  }

  /** Asks every venue: a client order id is unique across them because the caller derives it from the decision. */
  async getOrderByClientId(clientOrderId: string): Promise<VenueOrder | null> {
    for (const v of this.venues) {
      const o = await v.getOrderByClientId(clientOrderId);
      if (o) return this.order(v, o);
    }
    return null;
  }

  async fills(since?: number): Promise<Fill[]> {
    const out: Fill[] = [];
    for (const v of this.venues) for (const f of await v.fills(since)) out.push({ ...f, fillId: tag(v, f.fillId), venueOrderId: tag(v, f.venueOrderId) });
    return out.sort((a, b) => a.timestamp - b.timestamp);
  }

  async closePosition(positionId: string, clientOrderId: string): Promise<VenueOrder> {
    const { venue, id } = this.byTag(positionId, 'position');
    return this.order(venue, await venue.closePosition(id, clientOrderId));
  }

  /** The bar goes to the venue that trades the pair; a real venue triggers its own stops and has nothing to do. */
  async advance(pair: string, bar: BarPrices): Promise<VenueOrder[]> {
    const v = this.venueFor(pair);
    return v.advance ? (await v.advance(pair, bar)).map((o) => this.order(v, o)) : [];
  }

  async processPrices(): Promise<VenueOrder[]> {
    const out: VenueOrder[] = [];
    for (const v of this.venues) if (v.processPrices) for (const o of await v.processPrices()) out.push(this.order(v, o));
    return out;
  }
}
