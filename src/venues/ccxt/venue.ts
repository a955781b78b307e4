import type { Balance, Fill, OrderRequest, OrderStatus, Position, VenueOrder } from '../../core/order.js';
import { classifyPair } from '../../core/pair.js';
import { D, dec, text, type Dec } from '../decimal.js';
import { venueError } from '../errors.js';
import { spotHoldingToClose } from '../spot-holding.js';
import { applyFill, unrealized, type Holding } from '../ledger.js';
import type { Venue, VenueCapabilities } from '../port.js';
import { checkOrder } from '../validate.js';
import { ccxtFailure, type ExchangeCodes } from './errors.js';
import { wireClientId } from './ids.js';
import { createExchange, type CcxtExchange, type CcxtMarket, type CcxtModule } from './loader.js';

/** What differs between ccxt spot exchanges; everything else is this one class. */
export interface CcxtSpotOptions {
  /** ccxt exchange id (`kraken`, `binance`, …). */
  exchangeId: string;
  /** Venue name in positions and messages. */
  name: string;
  /** Human name for messages (`Kraken`). */
  label: string;
  apiKey: string;
  secret: string;
  /** Names the settings to check when the key is refused (`KRAKEN_API_KEY / KRAKEN_API_SECRET`). */
  keyHint: string;
  /** See ExchangeSettings.baseUrl. */
  baseUrl?: string | null;
  timeoutMs?: number;
  /** Currency holdings are valued in and traded against. */
  quoteCurrency: string;
  /**
   * Pairs (ours, e.g. BTCUSDT) looked at when the exchange can only list orders and trades per
   * market (Binance): besides them, every market of a held currency is looked at.
   */
  pairs?: string[];
  /** ccxt options for the exchange. */
  exchangeOptions?: Record<string, unknown>;
  /** Longest client order id the exchange takes as free text (longer ones go as a derived UUID). */
  maxClientIdLength: number;
  /** The exchange needs the market to cancel or read an order: venue order ids carry it (`BTCUSDT:123`). */
  orderNeedsSymbol: boolean;
  /** The exchange lists orders and trades only per market. */
  listsPerSymbol: boolean;
  /** Look-back of `getOrderByClientId` (default 30 days). */
  orderLookupDays?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** ccxt's client-side request spacing (default on; tests against a local fake turn it off). */
  rateLimit?: boolean;
  /** Exchange error codes ccxt leaves too broad (read from the reply ccxt quotes), e.g. Binance's -2015 as VENUE_AUTH. */
  classify?: ExchangeCodes;
  /** Adjusts the ccxt instance once created (e.g. error tables ccxt keys by the production host). */
  prepare?: (ex: CcxtExchange) => void;
}

interface CcxtOrder {
  id: string;
  clientOrderId?: string | null;
  timestamp?: number | null;
  symbol: string;
  type?: string | null;
  side: string;
  price?: number | null;
  average?: number | null;
  amount?: number | null;
  filled?: number | null;
  status?: string | null;
  fee?: { cost?: number | null } | null;
  fees?: { cost?: number | null }[] | null;
}
interface CcxtTrade {
  id: string;
  order?: string | null;
  timestamp: number;
  symbol: string;
  side: string;
  price: number;
  amount: number;
  fee?: { cost?: number | null; currency?: string | null } | null;
}

const STATUS: Record<string, OrderStatus> = { open: 'open', closed: 'filled', canceled: 'cancelled', cancelled: 'cancelled', expired: 'expired', rejected: 'rejected' };
const num = (v: number | null | undefined): Dec => (v === null || v === undefined || !Number.isFinite(v) ? new D(0) : dec(v));

/**
 * Spot trading on any ccxt exchange through ccxt's unified API (loadMarkets, fetchBalance,
 * createOrder with a client order id, fetchOrder, cancelOrder, fetchMyTrades): ccxt signs and
 * speaks the exchange's REST dialect, this class maps it onto the Venue port. Spot means no short
 * selling and no attached stops; a "position" is a non-zero holding of a base currency valued
 * against the quote currency, its entry price the average cost replayed from the fills.
 * Placing is idempotent by client order id: an order already known under it is returned.
 */
export class CcxtSpotVenue implements Venue {
  readonly name: string;
  readonly capabilities: VenueCapabilities = { market: true, limit: true, attachedStops: false, short: false, queryByClientId: true, assetClasses: ['crypto'], simulated: false };
  // ES private: JSON.stringify, util.inspect and loggers never see the key or the ccxt instance holding it.
  readonly #o: CcxtSpotOptions;
  readonly #secrets: string[];
  #exchange: Promise<{ ex: CcxtExchange; ccxt: CcxtModule }> | null = null;
  private prepared = false;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Wire client id → ours, for orders this process placed or looked up. */
  private readonly ours = new Map<string, string>();
  /** Venue order id → client order id (fills name their order only). */
  private readonly clientIds = new Map<string, string>();

  constructor(o: CcxtSpotOptions) {
    this.name = o.name;
    this.#o = o;
    this.#secrets = [o.apiKey, o.secret].filter((s) => s.length >= 4);
    this.now = o.now ?? Date.now;
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  private get timeoutMs(): number {
    return this.#o.timeoutMs ?? 10_000;
  }

  /** The exchange with its markets loaded (once; a failed load is retried on the next call). */
  private async exchange(): Promise<{ ex: CcxtExchange; ccxt: CcxtModule }> {
    const o = this.#o;
    this.#exchange ??= createExchange(o.exchangeId, { apiKey: o.apiKey, secret: o.secret, timeoutMs: this.timeoutMs, baseUrl: o.baseUrl, options: o.exchangeOptions, rateLimit: o.rateLimit });
    const x = await this.#exchange;
    if (!this.prepared) {
      o.prepare?.(x.ex);
      this.prepared = true;
    }
    if (!x.ex.markets) {
      try {
        await x.ex.loadMarkets();
      } catch (e) {
        // ccxt keeps the failed load and would hand it back on every later call.
        x.ex.marketsLoading = undefined;
        throw ccxtFailure(e, x.ccxt, this.context('load markets', false));
      }
    }
    return x;
  }

  private context(what: string, mutating: boolean) {
    const o = this.#o;
    return { label: `${o.label} ${what}`, mutating, secrets: this.#secrets, timeoutMs: this.timeoutMs, keyHint: o.keyHint, baseUrl: o.baseUrl ?? o.label, codes: o.classify };
  }

  /** Calls a unified ccxt method; every failure becomes a venue error. */
  private async call<T>(method: string, args: unknown[], what: string, mutating = false): Promise<T> {
    const { ex, ccxt } = await this.exchange();
    try {
      return (await (ex[method] as (...a: unknown[]) => Promise<T>).apply(ex, args)) as T;
    } catch (e) {
      throw ccxtFailure(e, ccxt, this.context(what, mutating));
    }
  }

  // --- symbols -------------------------------------------------------------------------------

  /** BTCUSD → the exchange's spot market BTC/USD; null when it has none. */
  private async market(pair: string): Promise<CcxtMarket | null> {
    const { ex } = await this.exchange();
    const p = classifyPair(pair);
    const m = ex.markets?.[`${p.base}/${p.quote}`];
    return m && m.spot !== false ? m : null;
  }

  private async symbolOf(pair: string): Promise<string> {
    const m = await this.market(pair);
    if (!m) throw venueError('VENUE_REJECTED', `${this.name}: no spot market for ${pair}`, { reason: 'INVALID_PAIR' });
    return m.symbol;
  }

  /** BTC/USD → BTCUSD. */
  private pairOf(symbol: string): string {
    return symbol.split(':')[0].replace('/', '');
  }

  private orderId(symbol: string, id: string): string {
    return this.#o.orderNeedsSymbol ? `${this.pairOf(symbol)}:${id}` : id;
  }

  /** Our venue order id → the exchange's id and, where needed, its market. */
  private async splitOrderId(venueOrderId: string): Promise<{ id: string; symbol?: string } | null> {
    if (!this.#o.orderNeedsSymbol) return { id: venueOrderId };
    const i = venueOrderId.lastIndexOf(':');
    if (i <= 0) return null;
    let symbol: string;
    try {
      symbol = await this.symbolOf(venueOrderId.slice(0, i));
    } catch {
      return null;
    }
    return { id: venueOrderId.slice(i + 1), symbol };
  }

  // --- mapping -------------------------------------------------------------------------------

  private toVenueOrder(o: CcxtOrder, clientOrderId?: string): VenueOrder {
    const filled = num(o.filled);
    let status = STATUS[o.status ?? ''] ?? 'open';
    if (status === 'open' && filled.gt(0)) status = 'partially_filled';
    const wire = o.clientOrderId ?? '';
    const cid = clientOrderId ?? this.ours.get(wire) ?? wire;
    const venueOrderId = this.orderId(o.symbol, String(o.id));
    this.clientIds.set(venueOrderId, cid);
    const type = o.type === 'limit' ? 'limit' : 'market';
    const fee = o.fee?.cost ?? (o.fees ?? []).reduce((s, f) => s + (f.cost ?? 0), 0);
    return {
      venueOrderId,
      clientOrderId: cid,
      pair: this.pairOf(o.symbol),
      side: o.side === 'sell' ? 'sell' : 'buy',
      type,
      units: text(num(o.amount)),
      filledUnits: text(filled),
      averagePrice: filled.gt(0) ? text(num(o.average ?? o.price)) : null,
      limitPrice: type === 'limit' && o.price ? text(num(o.price)) : null,
      status,
      createdAt: o.timestamp ?? 0,
      fees: text(num(fee)),
    };
  }

  // --- account -------------------------------------------------------------------------------

  async balances(): Promise<Balance[]> {
    const b = await this.call<{ total?: Record<string, number | null>; free?: Record<string, number | null> }>('fetchBalance', [], 'balances');
    return Object.entries(b.total ?? {}).map(([currency, total]) => ({ currency, total: text(num(total)), available: text(num(b.free?.[currency])) }));
  }

  private isCash(currency: string): boolean {
    return currency === this.#o.quoteCurrency;
  }

  private holdings(balances: Balance[]): Balance[] {
    return balances.filter((b) => !this.isCash(b.currency) && new D(b.total).gt(0));
  }

  /** Last price of base/quote, or null when the exchange has no such market. */
  private async price(base: string): Promise<{ symbol: string; price: Dec } | null> {
    const m = await this.market(`${base}${this.#o.quoteCurrency}`).catch(() => null);
    if (!m) return null;
    const t = await this.call<{ last?: number | null; close?: number | null }>('fetchTicker', [m.symbol], `ticker ${m.symbol}`);
    const last = t.last ?? t.close;
    return last ? { symbol: m.symbol, price: dec(last) } : null;
  }

  /** Value in the quote currency; holdings the exchange cannot price against it are left out. */
  async equity(): Promise<{ currency: string; value: string }> {
    const balances = await this.balances();
    let value = balances.filter((b) => this.isCash(b.currency)).reduce((a, b) => a.add(b.total), new D(0));
    for (const b of this.holdings(balances)) {
      const p = await this.price(b.currency);
      if (p) value = value.add(p.price.mul(b.total));
    }
    return { currency: this.#o.quoteCurrency, value: text(value) };
  }

  async positions(): Promise<Position[]> {
    const out: Position[] = [];
    for (const b of this.holdings(await this.balances())) {
      const p = await this.price(b.currency);
      if (!p) continue;
      const basis = this.costBasis(await this.trades([p.symbol]), p.symbol);
      const holding: Holding = { side: 'long', units: new D(b.total), entryPrice: basis?.entry ?? p.price };
      const pair = this.pairOf(p.symbol);
      out.push({
        id: pair,
        venue: this.name,
        pair,
        side: 'long',
        units: b.total,
        entryPrice: text(holding.entryPrice),
        markPrice: text(p.price),
        unrealizedPnl: text(unrealized(holding, p.price)),
        openedAt: basis?.openedAt ?? null,
        stopLossPrice: null,
        takeProfitPrice: null,
      });
    }
    return out;
  }

  /** Average cost of the current holding, replayed from the market's trades (oldest first). */
  private costBasis(trades: CcxtTrade[], symbol: string): { entry: Dec; openedAt: number } | null {
    let h: Holding | null = null;
    let openedAt = 0;
    for (const t of trades.filter((x) => x.symbol === symbol)) {
      const before: Holding | null = h;
      // Spot: selling more than the replay knows of (coins deposited) cannot go short.
      if (t.side === 'sell' && !before) continue;
      const units: Dec = t.side === 'sell' && before ? D.min(num(t.amount), before.units) : num(t.amount);
      h = applyFill(before, t.side === 'sell' ? 'sell' : 'buy', units, num(t.price)).after;
      if (!before && h) openedAt = t.timestamp;
    }
    return h ? { entry: h.entryPrice, openedAt } : null;
  }

  /** Markets to list per symbol: the configured pairs plus every held currency against the quote. */
  private async watchedSymbols(): Promise<string[]> {
    const symbols = new Set<string>();
    for (const pair of this.#o.pairs ?? []) {
      const m = await this.market(pair).catch(() => null);
      if (m) symbols.add(m.symbol);
    }
    for (const b of this.holdings(await this.balances())) {
      const m = await this.market(`${b.currency}${this.#o.quoteCurrency}`).catch(() => null);
      if (m) symbols.add(m.symbol);
    }
    return [...symbols];
  }

  private async trades(symbols: string[] | null, since?: number): Promise<CcxtTrade[]> {
    const lists =
      this.#o.listsPerSymbol || symbols
        ? await Promise.all((symbols ?? (await this.watchedSymbols())).map((s) => this.call<CcxtTrade[]>('fetchMyTrades', [s, since], `trades of ${s}`)))
        : [await this.call<CcxtTrade[]>('fetchMyTrades', [undefined, since], 'trades')];
    return lists.flat().sort((a, b) => a.timestamp - b.timestamp || (a.id < b.id ? -1 : 1));
  }

  // --- orders --------------------------------------------------------------------------------

  async openOrders(): Promise<VenueOrder[]> {
    return (await this.call<CcxtOrder[]>('fetchOpenOrders', [], 'open orders')).map((o) => this.toVenueOrder(o));
  }

  /** Every order in the look-back window the exchange lists (open and closed). */
  private async recentOrders(): Promise<CcxtOrder[]> {
    const since = this.now() - (this.#o.orderLookupDays ?? 30) * 86_400_000;
    const { ex } = await this.exchange();
    if (this.#o.listsPerSymbol) {
      const symbols = await this.watchedSymbols();
      const method = ex.has.fetchOrders ? 'fetchOrders' : 'fetchClosedOrders';
      const lists = await Promise.all(symbols.map((s) => this.call<CcxtOrder[]>(method, [s, since], `orders of ${s}`)));
      return [...(await this.call<CcxtOrder[]>('fetchOpenOrders', [], 'open orders')), ...lists.flat()];
    }
    const [open, closed] = await Promise.all([this.call<CcxtOrder[]>('fetchOpenOrders', [], 'open orders'), this.call<CcxtOrder[]>('fetchClosedOrders', [undefined, since], 'closed orders')]);
    return [...open, ...closed];
  }

  async getOrderByClientId(clientOrderId: string): Promise<VenueOrder | null> {
    const wire = wireClientId(clientOrderId, this.#o.maxClientIdLength);
    const hit = (await this.recentOrders()).find((o) => o.clientOrderId === wire);
    if (!hit) return null;
    this.ours.set(wire, clientOrderId);
    return this.toVenueOrder(hit, clientOrderId);
  }

  async placeOrder(req: OrderRequest): Promise<VenueOrder> {
    const c = checkOrder(this.name, this.capabilities, req);
    const symbol = await this.symbolOf(c.info.symbol);
    const existing = await this.getOrderByClientId(req.clientOrderId);
    if (existing) return existing;
    const { ex, ccxt } = await this.exchange();
    const what = `order ${req.clientOrderId}`;
    let amount: string;
    let price: string | undefined;
    try {
      amount = ex.amountToPrecision(symbol, text(c.units));
      price = c.limitPrice ? ex.priceToPrecision(symbol, text(c.limitPrice)) : undefined;
    } catch (e) {
      throw ccxtFailure(e, ccxt, this.context(what, false));
    }
    const wire = wireClientId(req.clientOrderId, this.#o.maxClientIdLength);
    this.ours.set(wire, req.clientOrderId);
    const placed = await this.call<CcxtOrder>('createOrder', [symbol, req.type, req.side, Number(amount), price === undefined ? undefined : Number(price), { clientOrderId: wire }], what, true);
    if (!placed?.id) throw venueError('VENUE_BAD_RESPONSE', `${this.name}: ${what}: accepted without an order id`, { outcome: 'unknown' });
    return this.settled(placed, symbol, req, what);
  }

  /** The placed order as the exchange now reports it; a market order is given a moment to finish filling. */
  private async settled(placed: CcxtOrder, symbol: string, req: OrderRequest, what: string): Promise<VenueOrder> {
    let last = { ...placed, symbol: placed.symbol ?? symbol };
    for (let attempt = 0; attempt < 6; attempt++) {
      if (attempt > 0) await this.sleep(250);
      try {
        last = await this.call<CcxtOrder>('fetchOrder', [String(placed.id), symbol], what);
      } catch (e) {
        if (attempt === 5)
          throw venueError('VENUE_UNAVAILABLE', `${this.name}: ${what} was accepted as ${placed.id} but cannot be read back yet`, {
            outcome: 'unknown',
            venueOrderId: this.orderId(symbol, String(placed.id)),
            cause: (e as Error).message,
          });
        continue;
      }
      if (req.type !== 'market' || (last.status && last.status !== 'open')) break;
    }
    return this.toVenueOrder(last, req.clientOrderId);
  }

  private async orderById(id: string, symbol: string | undefined, what: string): Promise<CcxtOrder | null> {
    try {
      return await this.call<CcxtOrder>('fetchOrder', [id, symbol], what);
    } catch (e) {
      if ((e as { code?: string }).code === 'ORDER_NOT_FOUND') return null;
      throw e;
    }
  }

  async cancelOrder(venueOrderId: string): Promise<VenueOrder> {
    const ref = await this.splitOrderId(venueOrderId);
    const what = `cancel ${venueOrderId}`;
    const before = ref && (await this.orderById(ref.id, ref.symbol, what));
    if (!ref || !before) throw venueError('ORDER_NOT_FOUND', `${this.name}: no order ${venueOrderId}`);
    if (before.status && before.status !== 'open') {
      throw venueError('ORDER_NOT_CANCELLABLE', `${this.name}: order ${venueOrderId} is ${this.toVenueOrder(before).status} and cannot be cancelled`, { order: this.toVenueOrder(before) });
    }
    await this.call('cancelOrder', [ref.id, ref.symbol ?? before.symbol], what, true);
    const after = await this.orderById(ref.id, ref.symbol ?? before.symbol, what);
    return this.toVenueOrder(after ?? { ...before, status: 'canceled' });
  }

  /** Sells the whole available holding (rounded to the market's amount precision). */
  async closePosition(positionId: string, clientOrderId: string): Promise<VenueOrder> {
    const existing = await this.getOrderByClientId(clientOrderId);
    if (existing) return existing;
    const { base, account } = spotHoldingToClose(this.name, positionId, await this.balances());
    const pair = `${base}${this.#o.quoteCurrency}`;
    const symbol = await this.symbolOf(pair);
    const { ex } = await this.exchange();
    // ccxt truncates to the market's precision: never more than is held.
    const units = new D(ex.amountToPrecision(symbol, account.available));
    if (!units.gt(0)) throw venueError('VENUE_REJECTED', `${this.name}: the ${base} holding is all on hold for open orders; cancel them first`, { reason: 'HELD' });
    return this.placeOrder({ clientOrderId, pair, side: 'sell', type: 'market', units: text(units), reduceOnly: true });
  }

  async fills(since?: number): Promise<Fill[]> {
    const out: Fill[] = [];
    for (const t of await this.trades(null, since)) {
      const venueOrderId = this.orderId(t.symbol, String(t.order ?? ''));
      if (!this.clientIds.has(venueOrderId) && t.order) {
        const o = await this.orderById(String(t.order), t.symbol, `order ${t.order}`);
        if (o) this.toVenueOrder(o);
      }
      out.push({
        fillId: String(t.id),
        venueOrderId,
        clientOrderId: this.clientIds.get(venueOrderId) ?? '',
        pair: this.pairOf(t.symbol),
        side: t.side === 'sell' ? 'sell' : 'buy',
        units: text(num(t.amount)),
        price: text(num(t.price)),
        fee: text(num(t.fee?.cost)),
        feeCurrency: t.fee?.currency ?? this.#o.quoteCurrency,
        timestamp: t.timestamp,
      });
    }
    return out.filter((f) => since === undefined || f.timestamp >= since);
  }
}
