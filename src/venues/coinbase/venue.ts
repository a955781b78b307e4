import type { Balance, Fill, OrderRequest, Position, VenueOrder } from '../../core/order.js';
import { D, text, type Dec } from '../decimal.js';
import { venueError } from '../errors.js';
import { spotHoldingToClose } from '../spot-holding.js';
import { applyFill, unrealized, type Holding } from '../ledger.js';
import type { Venue, VenueCapabilities } from '../port.js';
import { checkOrder } from '../validate.js';
import { list, str, type Json } from '../wire.js';
import { CoinbaseClient, type CoinbaseClientOptions, type CoinbaseReply } from './client.js';
import { FINAL, fromProductId, toFill, toProductId, toVenueOrder } from './mapping.js';

export interface CoinbaseVenueOptions extends CoinbaseClientOptions {
  name?: string;
  /** Currency holdings are valued in and traded against (default USD). */
  quoteCurrency?: string;
  /** How far back `getOrderByClientId` searches (default 30 days). */
  orderLookupDays?: number;
  /** Time for look-back windows (default Date.now). */
  now?: () => number;
  /** Waits between polls of a just-placed market order (default setTimeout). */
  sleep?: (ms: number) => Promise<void>;
}

const PAGE = 250;
/** Coinbase values USDC 1:1 with USD. */
const AT_PAR: Record<string, string[]> = { USD: ['USDC'] };

/**
 * Coinbase Advanced Trade (spot crypto) through ccxt. Spot means: no short selling, and a
 * "position" is a non-zero holding of a base currency, with its entry price the average cost
 * replayed from the fills (the mark when no fills explain it). Coinbase itself dedups client
 * order ids (a repeat returns the first order), so placing is idempotent without a look-up.
 * Attached stop-loss / take-profit are not offered (capabilities.attachedStops = false).
 */
export class CoinbaseVenue implements Venue {
  readonly name: string;
  readonly capabilities: VenueCapabilities = {
    market: true,
    limit: true,
    attachedStops: false,
    short: false,
    queryByClientId: true,
    assetClasses: ['crypto'],
    simulated: false,
  };
  private readonly client: CoinbaseClient;
  private readonly quote: string;
  private readonly lookupDays: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly clientIds = new Map<string, string>();

  constructor(opts: CoinbaseVenueOptions) {
    this.name = opts.name ?? 'coinbase';
    this.client = new CoinbaseClient(opts);
    this.quote = opts.quoteCurrency ?? 'USD';
    this.lookupDays = opts.orderLookupDays ?? 30;
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  private async get(endpoint: string, params: Json, what: string): Promise<Json> {
    const r = await this.client.call(endpoint, params, what);
    if (r.status >= 300) this.refuse(r, what);
    return r.body;
  }

  private refuse(r: CoinbaseReply, what: string, extra: Json = {}): never {
    const e = (r.body.error_response ?? r.body) as Json;
    const reason = str(e.error) || str(e.preview_failure_reason) || `HTTP_${r.status}`;
    const message = this.client.clean(str(e.message) || str(e.error_details) || reason);
    const code = /INSUFFICIENT_FUND/.test(reason) ? 'INSUFFICIENT_FUNDS' : 'VENUE_REJECTED';
    throw venueError(code, `${this.name}: ${what} refused: ${message} (${reason})`, { reason, status: r.status, ...extra });
  }

  /** Follows `cursor` through every page of a listing. */
  private async all(endpoint: string, params: Json, key: string, what: string): Promise<Json[]> {
    const out: Json[] = [];
    let cursor = '';
    for (let i = 0; i < 1000; i++) {
      const body = await this.get(endpoint, { ...params, limit: PAGE, ...(cursor ? { cursor } : {}) }, what);
      out.push(...list(body[key]));
      cursor = str(body.cursor);
      if (!cursor || body.has_next === false) break;
    }
    return out;
  }

  private async accounts(): Promise<Json[]> {
    return this.all('v3PrivateGetBrokerageAccounts', {}, 'accounts', 'list accounts');
  }

  async balances(): Promise<Balance[]> {
    return (await this.accounts()).map((a) => {
      const available = new D(str((a.available_balance as Json | undefined)?.value) || '0');
      const hold = new D(str((a.hold as Json | undefined)?.value) || '0');
      return { currency: str(a.currency), total: text(available.add(hold)), available: text(available) };
    });
  }

  /** Last price of a product, or null when Coinbase does not list it. */
  private async price(productId: string): Promise<Dec | null> {
    const r = await this.client.call('v3PrivateGetBrokerageProductsProductId', { product_id: productId }, `product ${productId}`);
    if (r.status === 404 || r.status === 400) return null;
    const p = str(r.body.price);
    return p ? new D(p) : null;
  }

  /** The quote currency itself or one Coinbase values at par with it: cash, not a holding. */
  private isCash(currency: string): boolean {
    return currency === this.quote || (AT_PAR[this.quote] ?? []).includes(currency);
  }

  private holdings(balances: Balance[]) {
    return balances.filter((b) => !this.isCash(b.currency) && new D(b.total).gt(0));
  }

  /** Value in the quote currency; holdings Coinbase cannot price against it are left out. */
  async equity(): Promise<{ currency: string; value: string }> {
    const balances = await this.balances();
    let value = balances.filter((b) => this.isCash(b.currency)).reduce((a, b) => a.add(b.total), new D(0));
    for (const b of this.holdings(balances)) {
      const p = await this.price(`${b.currency}-${this.quote}`);
      if (p) value = value.add(p.mul(b.total));
    }
    return { currency: this.quote, value: text(value) };
  }

  async positions(): Promise<Position[]> {
    const out: Position[] = [];
    for (const b of this.holdings(await this.balances())) {
      const productId = `${b.currency}-${this.quote}`;
      const mark = await this.price(productId);
      if (!mark) continue;
      const basis = await this.costBasis(productId);
      const units = new D(b.total);
      const holding: Holding = { side: 'long', units, entryPrice: basis?.entry ?? mark };
      out.push({
        id: fromProductId(productId),
        venue: this.name,
        pair: fromProductId(productId),
        side: 'long',
        units: b.total,
        entryPrice: text(holding.entryPrice),
        markPrice: text(mark),
        unrealizedPnl: text(unrealized(holding, mark)),
        openedAt: basis?.openedAt ?? null,
        stopLossPrice: null,
        takeProfitPrice: null,
      });
    }
    return out;
  }

  /** Average cost of the current holding, replayed from the product's fills. */
  private async costBasis(productId: string): Promise<{ entry: Dec; openedAt: number } | null> {
    const fills = (await this.all('v3PrivateGetBrokerageOrdersHistoricalFills', { product_ids: [productId] }, 'fills', `fills of ${productId}`)).reverse();
    let h: Holding | null = null;
    let openedAt = 0;
    for (const f of fills) {
      const fill = toFill(f, '');
      const before: Holding | null = h;
      // Spot: selling more than the replay knows of (coins deposited) cannot go short.
      const units: Dec = fill.side === 'sell' && before ? D.min(fill.units, before.units) : new D(fill.units);
      if (fill.side === 'sell' && !before) continue;
      h = applyFill(before, fill.side, units, new D(fill.price)).after;
      if (!before && h) openedAt = fill.timestamp;
    }
    return h ? { entry: h.entryPrice, openedAt } : null;
  }

  async openOrders(): Promise<VenueOrder[]> {
    return (await this.all('v3PrivateGetBrokerageOrdersHistoricalBatch', { order_status: ['OPEN'] }, 'orders', 'list open orders')).map(toVenueOrder);
  }

  /** The order by venue id; null when Coinbase does not know it. */
  private async order(orderId: string): Promise<VenueOrder | null> {
    const r = await this.client.call('v3PrivateGetBrokerageOrdersHistoricalOrderId', { order_id: orderId }, `order ${orderId}`);
    if (r.status === 404 || r.status === 400) return null;
    const vo = toVenueOrder(r.body.order as Json);
    this.clientIds.set(vo.venueOrderId, vo.clientOrderId);
    return vo;
  }

  /** Advanced Trade cannot filter orders by client id: this pages through the look-back window. */
  async getOrderByClientId(clientOrderId: string): Promise<VenueOrder | null> {
    const start_date = new Date(this.now() - this.lookupDays * 86_400_000).toISOString();
    let cursor = '';
    for (let i = 0; i < 1000; i++) {
      const body = await this.get('v3PrivateGetBrokerageOrdersHistoricalBatch', { start_date, limit: PAGE, ...(cursor ? { cursor } : {}) }, 'list orders');
      const hit = list(body.orders).find((o) => o.client_order_id === clientOrderId);
      if (hit) return toVenueOrder(hit);
      cursor = str(body.cursor);
      if (!cursor || body.has_next === false) return null;
    }
    return null;
  }

  async placeOrder(req: OrderRequest): Promise<VenueOrder> {
    const c = checkOrder(this.name, this.capabilities, req);
    const base_size = text(c.units);
    const order_configuration = c.limitPrice ? { limit_limit_gtc: { base_size, limit_price: text(c.limitPrice), post_only: false } } : { market_market_ioc: { base_size } };
    const body = { client_order_id: req.clientOrderId, product_id: toProductId(c.info.symbol), side: req.side === 'buy' ? 'BUY' : 'SELL', order_configuration };
    const what = `order ${req.clientOrderId}`;
    const r = await this.client.call('v3PrivatePostBrokerageOrders', body, what, true);
    if (r.status >= 300 || r.body.success !== true) this.refuse(r, what);
    const orderId = str((r.body.success_response as Json | undefined)?.order_id ?? r.body.order_id);
    if (!orderId) throw venueError('VENUE_BAD_RESPONSE', `${this.name}: ${what}: accepted without an order_id`, { outcome: 'unknown' });
    return this.settled(orderId, req.type === 'market', what);
  }

  /** The placed order as Coinbase now reports it; a market order is given a moment to finish filling. */
  private async settled(orderId: string, market: boolean, what: string): Promise<VenueOrder> {
    let last: VenueOrder | null = null;
    for (let attempt = 0; attempt < 6; attempt++) {
      if (attempt > 0) await this.sleep(250);
      const r = await this.client.call('v3PrivateGetBrokerageOrdersHistoricalOrderId', { order_id: orderId }, what);
      if (r.status < 300) {
        const o = r.body.order as Json;
        last = toVenueOrder(o);
        if (!market || FINAL.has(str(o.status))) return last;
      }
    }
    if (last) return last;
    throw venueError('VENUE_UNAVAILABLE', `${this.name}: ${what} was accepted as ${orderId} but cannot be read back yet`, { outcome: 'unknown', venueOrderId: orderId });
  }

  async cancelOrder(venueOrderId: string): Promise<VenueOrder> {
    const r = await this.client.call('v3PrivatePostBrokerageOrdersBatchCancel', { order_ids: [venueOrderId] }, `cancel ${venueOrderId}`, true);
    const result = list(r.body.results)[0];
    const now = await this.order(venueOrderId);
    if (!now) throw venueError('ORDER_NOT_FOUND', `${this.name}: no order ${venueOrderId}`);
    if (r.status < 300 && result?.success === true) return now;
    throw venueError('ORDER_NOT_CANCELLABLE', `${this.name}: order ${venueOrderId} is ${now.status} and cannot be cancelled (${str(result?.failure_reason)})`, { order: now });
  }

  /** Sells the whole available holding (rounded down to the product's size increment). */
  async closePosition(positionId: string, clientOrderId: string): Promise<VenueOrder> {
    const existing = await this.getOrderByClientId(clientOrderId);
    if (existing) return existing;
    const { base, account } = spotHoldingToClose(this.name, positionId, await this.balances());
    const productId = `${base}-${this.quote}`;
    const product = await this.get('v3PrivateGetBrokerageProductsProductId', { product_id: productId }, `product ${productId}`);
    const step = new D(str(product.base_increment) || '0.00000001');
    const units = new D(account.available).div(step).floor().mul(step);
    if (!units.gt(0)) throw venueError('VENUE_REJECTED', `${this.name}: the ${base} holding is all on hold for open orders; cancel them first`, { reason: 'HELD' });
    return this.placeOrder({ clientOrderId, pair: fromProductId(productId), side: 'sell', type: 'market', units: text(units), reduceOnly: true });
  }

  async fills(since?: number): Promise<Fill[]> {
    const params: Json = since !== undefined ? { start_sequence_timestamp: new Date(since).toISOString() } : {};
    const raw = await this.all('v3PrivateGetBrokerageOrdersHistoricalFills', params, 'fills', 'list fills');
    const out: Fill[] = [];
    for (const f of raw) {
      const orderId = str(f.order_id);
      if (!this.clientIds.has(orderId)) await this.order(orderId);
      out.push(toFill(f, this.clientIds.get(orderId) ?? ''));
    }
    return out.filter((f) => since === undefined || f.timestamp >= since).sort((a, b) => a.timestamp - b.timestamp || (a.fillId < b.fillId ? -1 : 1));
  }
}
