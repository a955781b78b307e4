import type { Balance, Fill, OrderRequest, Position, VenueOrder } from '../../core/order.js';
import { D, text, type Dec } from '../decimal.js';
import { venueError } from '../errors.js';
import type { Venue, VenueCapabilities } from '../port.js';
import { checkOrder } from '../validate.js';
import { OandaClient, type OandaClientOptions, type OandaReply } from './client.js';
import { list, parseTime, str, type Json } from '../wire.js';
import { fromInstrument, toFill, toInstrument, toVenueOrder } from './mapping.js';

/** Transaction keys of an order-creating reply: `orderCreateTransaction` or `longOrderCreateTransaction`… */
const keys = (prefix: 'order' | 'longOrder' | 'shortOrder') => ({
  create: `${prefix}CreateTransaction`,
  fill: `${prefix}FillTransaction`,
  cancel: `${prefix}CancelTransaction`,
  reject: `${prefix}RejectTransaction`,
});

/**
 * Oanda v20 (forex) through our own REST client. A netting account: one position per
 * instrument, its id our pair (EURUSD). Units are signed on the wire (sell = negative).
 *
 * Placing is idempotent on the client order id twice over: the id is looked up first
 * (`GET orders/@id`), because v20 only refuses an id that a *pending* order holds; and a
 * CLIENT_ORDER_ID_ALREADY_EXISTS refusal returns the order that holds it.
 */
export class OandaVenue implements Venue {
  readonly name: string;
  readonly capabilities: VenueCapabilities = {
    market: true,
    limit: true,
    attachedStops: true,
    short: true,
    queryByClientId: true,
    assetClasses: ['forex'],
    simulated: false,
  };
  private readonly client: OandaClient;
  private currency: string | null = null;

  constructor(opts: OandaClientOptions & { name?: string }) {
    this.name = opts.name ?? 'oanda';
    this.client = new OandaClient(opts);
  }

  private async get(path: string, query?: Record<string, string>): Promise<Json> {
    const r = await this.client.call('GET', path, { query });
    if (r.status >= 300) throw this.refusal(r, `GET ${path}`);
    return r.body;
  }

  private refusal(r: OandaReply, what: string, rejectKey?: string, order?: VenueOrder): never {
    const reason = str((rejectKey ? (r.body[rejectKey] as Json | undefined)?.rejectReason : undefined) ?? r.body.errorCode) || `HTTP_${r.status}`;
    const message = this.client.clean(str(r.body.errorMessage) || reason);
    const code = reason === 'INSUFFICIENT_MARGIN' ? 'INSUFFICIENT_FUNDS' : 'VENUE_REJECTED';
    throw venueError(code, `${this.name}: ${what} refused: ${message} (${reason})`, { reason, status: r.status, ...(order ? { order } : {}) });
  }

  private async summary(): Promise<Json> {
    const a = (await this.get('/summary')).account as Json;
    this.currency = str(a.currency) || this.currency;
    return a;
  }

  async balances(): Promise<Balance[]> {
    const a = await this.summary();
    return [{ currency: str(a.currency), total: str(a.balance), available: str(a.marginAvailable) }];
  }

  async equity(): Promise<{ currency: string; value: string }> {
    const a = await this.summary();
    return { currency: str(a.currency), value: str(a.NAV) };
  }

  async positions(): Promise<Position[]> {
    const [positions, trades] = await Promise.all([this.get('/openPositions'), this.get('/openTrades')]);
    const open = list(positions.positions);
    if (open.length === 0) return [];
    const prices = list((await this.get('/pricing', { instruments: open.map((p) => str(p.instrument)).join(',') })).prices);
    const out: Position[] = [];
    for (const p of open) {
      const instrument = str(p.instrument);
      const quote = prices.find((x) => x.instrument === instrument);
      const ts = list(trades.trades).filter((t) => t.instrument === instrument);
      for (const side of ['long', 'short'] as const) {
        const s = (p[side] ?? {}) as Json;
        if (new D(str(s.units) || '0').isZero()) continue;
        const mine = ts.filter((t) => (side === 'long') === !str(t.currentUnits).startsWith('-'));
        const protective = (k: 'stopLossOrder' | 'takeProfitOrder') => str((mine.find((t) => t[k])?.[k] as Json | undefined)?.price) || null;
        out.push({
          id: fromInstrument(instrument),
          venue: this.name,
          pair: fromInstrument(instrument),
          side,
          units: text(new D(str(s.units)).abs()),
          entryPrice: str(s.averagePrice),
          markPrice: quote ? str(side === 'long' ? quote.closeoutBid : quote.closeoutAsk) : null,
          unrealizedPnl: str(s.unrealizedPL) || '0',
          openedAt: mine.length ? Math.min(...mine.map((t) => parseTime(t.openTime))) : null,
          stopLossPrice: protective('stopLossOrder'),
          takeProfitPrice: protective('takeProfitOrder'),
        });
      }
    }
    return out;
  }

  async openOrders(): Promise<VenueOrder[]> {
    const body = await this.get('/pendingOrders');
    // Stop-loss / take-profit orders belong to trades; they show on the position, not here.
    return list(body.orders)
      .filter((o) => o.type === 'MARKET' || o.type === 'LIMIT')
      .map((o) => toVenueOrder(o));
  }

  /** The order by `@clientId` or id, with its fill (price, fee) or cancel (reason) transaction. */
  private async order(spec: string): Promise<VenueOrder | null> {
    const r = await this.client.call('GET', `/orders/${spec}`);
    if (r.status === 404) return null;
    if (r.status >= 300) this.refusal(r, `GET order ${spec}`);
    const o = r.body.order as Json;
    const tx = async (id: unknown) => (id ? ((await this.get(`/transactions/${str(id)}`)).transaction as Json) : null);
    const fill = o.state === 'FILLED' ? await tx(o.fillingTransactionID) : null;
    const cancel = o.state === 'CANCELLED' ? await tx(o.cancellingTransactionID) : null;
    return toVenueOrder(o, fill, cancel);
  }

  async getOrderByClientId(clientOrderId: string): Promise<VenueOrder | null> {
    return this.order(`@${encodeURIComponent(clientOrderId)}`);
  }

  async placeOrder(req: OrderRequest): Promise<VenueOrder> {
    const c = checkOrder(this.name, this.capabilities, req);
    const existing = await this.getOrderByClientId(req.clientOrderId);
    if (existing) return existing;
    const price = (p: Dec | null) => (p ? { price: text(p), timeInForce: 'GTC' } : undefined);
    const order = {
      type: req.type === 'limit' ? 'LIMIT' : 'MARKET',
      instrument: toInstrument(c.info.symbol),
      units: req.side === 'buy' ? text(c.units) : text(c.units.neg()),
      ...(c.limitPrice ? { price: text(c.limitPrice) } : {}),
      timeInForce: req.type === 'limit' ? 'GTC' : 'FOK',
      positionFill: req.reduceOnly ? 'REDUCE_ONLY' : 'DEFAULT',
      clientExtensions: { id: req.clientOrderId },
      ...(c.stopLoss ? { stopLossOnFill: price(c.stopLoss) } : {}),
      ...(c.takeProfit ? { takeProfitOnFill: price(c.takeProfit) } : {}),
    };
    const r = await this.client.call('POST', '/orders', { body: { order } });
    return this.settle(r, req.clientOrderId, keys('order'), `order ${req.clientOrderId}`);
  }

  /** Reads an order-creating reply: the filled or resting order, or the refusal as an error. */
  private async settle(r: OandaReply, clientOrderId: string, k: ReturnType<typeof keys>, what: string): Promise<VenueOrder> {
    if (r.status < 300) {
      const create = r.body[k.create] as Json | undefined;
      if (!create) throw venueError('VENUE_BAD_RESPONSE', `${this.name}: ${what}: reply has no ${k.create}`, { outcome: 'unknown' });
      const vo = toVenueOrder(create, r.body[k.fill] as Json | undefined, r.body[k.cancel] as Json | undefined);
      if (vo.status === 'cancelled') {
        const reason = vo.reason ?? 'CANCELLED';
        const code = reason === 'INSUFFICIENT_MARGIN' ? 'INSUFFICIENT_FUNDS' : 'VENUE_REJECTED';
        throw venueError(code, `${this.name}: ${what} was cancelled by Oanda (${reason})`, { reason, order: vo });
      }
      return vo;
    }
    const reason = str((r.body[k.reject] as Json | undefined)?.rejectReason ?? r.body.errorCode);
    if (reason === 'CLIENT_ORDER_ID_ALREADY_EXISTS') {
      const existing = await this.getOrderByClientId(clientOrderId);
      if (existing) return existing;
    }
    return this.refusal(r, what, k.reject);
  }

  async cancelOrder(venueOrderId: string): Promise<VenueOrder> {
    // v20 order ids are numbers; anything else names no order (and must not be read as @clientId).
    if (!/^\d+$/.test(venueOrderId)) throw venueError('ORDER_NOT_FOUND', `${this.name}: no order ${venueOrderId}`);
    const r = await this.client.call('PUT', `/orders/${venueOrderId}/cancel`);
    const now = await this.order(venueOrderId);
    if (r.status < 300 && now) return now;
    if (!now) throw venueError('ORDER_NOT_FOUND', `${this.name}: no order ${venueOrderId}`);
    throw venueError('ORDER_NOT_CANCELLABLE', `${this.name}: order ${venueOrderId} is ${now.status} and cannot be cancelled`, { order: now });
  }

  async closePosition(positionId: string, clientOrderId: string): Promise<VenueOrder> {
    const existing = await this.getOrderByClientId(clientOrderId);
    if (existing) return existing;
    let instrument: string;
    try {
      instrument = toInstrument(positionId);
    } catch {
      throw venueError('POSITION_NOT_FOUND', `${this.name}: no open position ${positionId}`);
    }
    const r = await this.client.call('GET', `/positions/${instrument}`);
    const p = (r.status < 300 ? r.body.position : null) as Json | null;
    const held = (side: 'long' | 'short') => !new D(str((p?.[side] as Json | undefined)?.units) || '0').isZero();
    const side = held('long') ? 'long' : held('short') ? 'short' : null;
    if (!side) throw venueError('POSITION_NOT_FOUND', `${this.name}: no open position ${positionId}`);
    const close = await this.client.call('PUT', `/positions/${instrument}/close`, {
      body: { [`${side}Units`]: 'ALL', [`${side}ClientExtensions`]: { id: clientOrderId } },
    });
    if (close.status >= 300 && str(close.body.errorCode) === 'CLOSEOUT_POSITION_DOESNT_EXIST') {
      throw venueError('POSITION_NOT_FOUND', `${this.name}: no open position ${positionId}`);
    }
    return this.settle(close, clientOrderId, keys(side === 'long' ? 'longOrder' : 'shortOrder'), `close of ${positionId}`);
  }

  async fills(since?: number): Promise<Fill[]> {
    if (!this.currency) await this.summary();
    const query: Record<string, string> = { type: 'ORDER_FILL', pageSize: '1000' };
    if (since !== undefined) query.from = new Date(since).toISOString();
    const listing = await this.get('/transactions', query);
    const out: Fill[] = [];
    for (const url of (listing.pages as string[] | undefined) ?? []) {
      const page = await this.client.page(url);
      if (page.status >= 300) this.refusal(page, 'GET transactions page');
      for (const t of list(page.body.transactions)) if (t.type === 'ORDER_FILL') out.push(toFill(t, this.currency ?? ''));
    }
    return out.filter((f) => since === undefined || f.timestamp >= since).sort((a, b) => Number(a.fillId) - Number(b.fillId));
  }
}
