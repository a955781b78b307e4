/**
 * A local stand-in for the Oanda v20 REST API (https://api-fxpractice.oanda.com) serving the
 * documented JSON for one netting (non-hedging) account:
 *
 * - GET  /v3/accounts, /v3/accounts/{id}/summary  ({account:{balance, NAV, unrealizedPL, marginUsed, marginAvailable, …}})
 * - GET  …/pricing?instruments=EUR_USD,…          ({prices:[{instrument, bids, asks, closeoutBid, closeoutAsk, tradeable}]})
 * - POST …/orders {order:{type: MARKET|LIMIT, instrument, units (signed), price, timeInForce,
 *   positionFill, clientExtensions:{id}, stopLossOnFill:{price}, takeProfitOnFill:{price}}}
 *   → 201 {orderCreateTransaction, orderFillTransaction | orderCancelTransaction, relatedTransactionIDs, lastTransactionID}
 *   → 400 {orderRejectTransaction:{rejectReason}, errorCode, errorMessage} (e.g. CLIENT_ORDER_ID_ALREADY_EXISTS)
 * - GET  …/orders/{id | @clientId}, …/pendingOrders; PUT …/orders/{spec}/cancel
 * - GET  …/openTrades, …/openPositions, …/positions/{instrument}; PUT …/positions/{instrument}/close
 *   {longUnits|shortUnits: "ALL", longClientExtensions|shortClientExtensions:{id}}
 * - GET  …/transactions?from&to&type&pageSize (pages of idrange URLs), …/transactions/idrange, …/transactions/{id}
 *
 * Decimals are strings, times RFC3339 with nanoseconds; errors are {errorMessage, errorCode?}.
 * Buys fill at the ask, sells at the bid. Realised P&L is converted to the account currency only
 * for pairs quoted in it or based on it (EUR_USD, USD_JPY); that is the fake's simplification.
 *
 * Requests are recorded and failure modes applied by fake-venue-http.ts; `lookupLagMs` adds the
 * moment after creation in which v20 does not yet find an order. With `statePath` the book
 * survives the process: it is loaded at start and written after each change.
 *
 * Imports only node built-ins and fake-venue-http.ts: test/fakes/launch-fake.mjs
 * transpiles it to run as a separate process.
 */
import { D, decText as s, HttpReply, isPositiveDecimal as isPrice, loadState, serveFakeVenue, stateSaver, type Dec, type FakeVenueMode, type RecordedVenueRequest } from './fake-venue-http.js';

export type { FakeVenueMode, RecordedVenueRequest } from './fake-venue-http.js';

type Json = Record<string, unknown>;

interface OOrder {
  id: string;
  createTime: string;
  state: 'PENDING' | 'FILLED' | 'TRIGGERED' | 'CANCELLED';
  type: 'MARKET' | 'LIMIT' | 'STOP_LOSS' | 'TAKE_PROFIT';
  instrument?: string;
  units?: string;
  price?: string;
  tradeID?: string;
  timeInForce: string;
  positionFill?: string;
  triggerCondition?: string;
  clientExtensions?: { id: string; tag?: string; comment?: string };
  stopLossOnFill?: { price: string; timeInForce: string };
  takeProfitOnFill?: { price: string; timeInForce: string };
  fillingTransactionID?: string;
  filledTime?: string;
  tradeOpenedID?: string;
  tradeReducedID?: string;
  tradeClosedIDs?: string[];
  cancellingTransactionID?: string;
  cancelledTime?: string;
}

interface OTrade {
  id: string;
  instrument: string;
  price: string;
  openTime: string;
  state: 'OPEN' | 'CLOSED';
  initialUnits: string;
  currentUnits: string;
  realizedPL: string;
  financing: string;
  clientExtensions?: { id: string };
  stopLossOrderID?: string;
  takeProfitOrderID?: string;
  closeTime?: string;
}

export interface OandaState {
  accountId: string;
  currency: string;
  createdTime: string;
  balance: string;
  lastTransactionID: number;
  /** Mid price by instrument. */
  prices: Record<string, string>;
  orders: OOrder[];
  trades: OTrade[];
  transactions: Json[];
}

export interface FakeOandaOptions {
  /** The only bearer token accepted (default `fake-oanda-token`). */
  token?: string;
  accountId?: string;
  currency?: string;
  balance?: string;
  /** Mid prices by instrument (default EUR_USD 1.1, GBP_USD 1.27, USD_JPY 150). */
  prices?: Record<string, number>;
  /** Half the bid/ask spread as a fraction of mid (default 0.00005). */
  halfSpread?: number;
  marginRate?: number;
  /**
   * `reject-pending` (default, the documented wording: "already assigned to another pending
   * order") or `reject-any` (any earlier order with that client id).
   */
  duplicateClientIds?: 'reject-pending' | 'reject-any';
  statePath?: string;
  mode?: FakeVenueMode;
  slowMs?: number;
  port?: number;
  /**
   * Order look-ups (GET orders/{id|@clientId}) answer NO_SUCH_ORDER for orders younger than this,
   * as v20 does for a moment after an order is created.
   */
  lookupLagMs?: number;
}

export interface FakeOanda {
  url: string;
  requests: RecordedVenueRequest[];
  state: OandaState;
  setMode(mode: FakeVenueMode): void;
  /** Moves the mid price, filling limit orders and stop-loss / take-profit orders it reaches. */
  setPrice(instrument: string, mid: number): void;
  close(): Promise<void>;
}

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
const isUnits = (u: unknown): u is string => typeof u === 'string' && /^[+-]?\d+(\.\d+)?$/.test(u);
const DEPENDENT = new Set(['STOP_LOSS', 'TAKE_PROFIT']);

const err = (status: number, errorMessage: string, extra: Json = {}) => new HttpReply(status, { ...extra, errorMessage });

class OandaBook {
  constructor(
    readonly st: OandaState,
    private readonly o: { halfSpread: Dec; marginRate: Dec; duplicates: 'reject-pending' | 'reject-any' },
  ) {}

  private now = () => rfc3339(Date.now());
  private nextId = () => String(++this.st.lastTransactionID);
  private tx(t: Json): Json {
    const full = { id: this.nextId(), time: this.now(), userID: 1, accountID: this.st.accountId, batchID: '', requestID: '', ...t };
    full.batchID = full.id;
    this.st.transactions.push(full);
    return full;
  }

  mid(instrument: string): Dec {
    const p = this.st.prices[instrument];
    if (p === undefined) throw err(400, `Invalid value specified for 'instrument': ${instrument}`, { errorCode: 'INSTRUMENT_UNKNOWN' });
    return new D(p);
  }
  bid = (i: string) => this.mid(i).mul(new D(1).sub(this.o.halfSpread));
  ask = (i: string) => this.mid(i).mul(this.o.halfSpread.add(1));
  /** Factor from the instrument's quote currency to the account currency. */
  private toAccount(instrument: string, price: Dec): Dec {
    const [base, quote] = instrument.split('_');
    if (quote === this.st.currency) return new D(1);
    if (base === this.st.currency) return new D(1).div(price);
    const cross = this.st.prices[`${quote}_${this.st.currency}`];
    return cross ? new D(cross) : new D(1);
  }

  openTrades = (instrument?: string) => this.st.trades.filter((t) => t.state === 'OPEN' && (!instrument || t.instrument === instrument));
  private tradeUpl(t: OTrade): Dec {
    const units = new D(t.currentUnits);
    const close = units.gt(0) ? this.bid(t.instrument) : this.ask(t.instrument);
    return close.sub(t.price).mul(units).mul(this.toAccount(t.instrument, close));
  }
  figures() {
    let upl = new D(0);
    let used = new D(0);
    for (const t of this.openTrades()) {
      upl = upl.add(this.tradeUpl(t));
      used = used.add(
        new D(t.currentUnits)
          .abs()
          .mul(this.mid(t.instrument))
          .mul(this.toAccount(t.instrument, this.mid(t.instrument)))
          .mul(this.o.marginRate),
      );
    }
    const nav = new D(this.st.balance).add(upl);
    return { upl, used, nav, available: D.max(nav.sub(used), 0) };
  }

  summary(): Json {
    const f = this.figures();
    return {
      account: {
        id: this.st.accountId,
        alias: 'Primary',
        currency: this.st.currency,
        balance: s(new D(this.st.balance)),
        createdByUserID: 1,
        createdTime: this.st.createdTime,
        pl: '0',
        resettablePL: '0',
        financing: '0',
        commission: '0',
        marginRate: s(this.o.marginRate),
        openTradeCount: this.openTrades().length,
        openPositionCount: new Set(this.openTrades().map((t) => t.instrument)).size,
        pendingOrderCount: this.st.orders.filter((o) => o.state === 'PENDING').length,
        hedgingEnabled: false,
        unrealizedPL: s(f.upl),
        NAV: s(f.nav),
        marginUsed: s(f.used),
        marginAvailable: s(f.available),
        positionValue: '0',
        withdrawalLimit: s(f.available),
        lastTransactionID: String(this.st.lastTransactionID),
      },
      lastTransactionID: String(this.st.lastTransactionID),
    };
  }

  pricing(instruments: string[]): Json {
    const time = this.now();
    return {
      time,
      prices: instruments.map((i) => {
        const bid = s(this.bid(i));
        const ask = s(this.ask(i));
        return {
          type: 'PRICE',
          instrument: i,
          time,
          tradeable: true,
          status: 'tradeable',
          bids: [{ price: bid, liquidity: 10000000 }],
          asks: [{ price: ask, liquidity: 10000000 }],
          closeoutBid: bid,
          closeoutAsk: ask,
        };
      }),
    };
  }

  order(spec: string): OOrder | undefined {
    return spec.startsWith('@') ? this.st.orders.find((o) => o.clientExtensions?.id === spec.slice(1)) : this.st.orders.find((o) => o.id === spec);
  }
  private withTradeOrders(t: OTrade): Json {
    const dep = (id?: string) => (id ? this.st.orders.find((o) => o.id === id) : undefined);
    return { ...t, unrealizedPL: t.state === 'OPEN' ? s(this.tradeUpl(t)) : '0', takeProfitOrder: dep(t.takeProfitOrderID), stopLossOrder: dep(t.stopLossOrderID) };
  }
  tradesJson = () => this.openTrades().map((t) => this.withTradeOrders(t));

  position(instrument: string): Json {
    const side = (sign: 1 | -1) => {
      const ts = this.openTrades(instrument).filter((t) => Math.sign(Number(t.currentUnits)) === sign);
      const units = ts.reduce((a, t) => a.add(t.currentUnits), new D(0));
      const avg = units.isZero() ? null : ts.reduce((a, t) => a.add(new D(t.price).mul(t.currentUnits)), new D(0)).div(units);
      const upl = ts.reduce((a, t) => a.add(this.tradeUpl(t)), new D(0));
      return { units: s(units), ...(avg ? { averagePrice: s(avg) } : {}), tradeIDs: ts.map((t) => t.id), pl: '0', unrealizedPL: s(upl), resettablePL: '0', financing: '0' };
    };
    const long = side(1);
    const short = side(-1);
    return { instrument, pl: '0', unrealizedPL: s(new D(long.unrealizedPL).add(short.unrealizedPL)), resettablePL: '0', commission: '0', long, short };
  }
  positionsJson = () => [...new Set(this.openTrades().map((t) => t.instrument))].map((i) => this.position(i));

  private reject(type: string, order: Json, reason: string, message: string): HttpReply {
    const t = this.tx({ ...order, type: `${type}_ORDER_REJECT`, rejectReason: reason });
    return err(400, message, { orderRejectTransaction: t, relatedTransactionIDs: [t.id], lastTransactionID: t.id, errorCode: reason });
  }

  createOrder(body: unknown): HttpReply {
    const req = (body as { order?: Json } | null)?.order;
    if (!req || typeof req !== 'object') return err(400, 'Invalid JSON, ensure that your request body is valid JSON', { errorCode: 'INVALID_JSON' });
    const type = req.type;
    if (type !== 'MARKET' && type !== 'LIMIT') return err(400, `Invalid value specified for 'order.type'`, { errorCode: 'ORDER_TYPE_INVALID' });
    const instrument = String(req.instrument ?? '');
    if (!(instrument in this.st.prices)) return this.reject(type, req, 'INSTRUMENT_NOT_TRADEABLE', `The instrument ${instrument} is not tradeable`);
    if (!isUnits(req.units) || new D(req.units).isZero()) return this.reject(type, req, 'UNITS_INVALID', 'The units specified is invalid');
    if (!new D(req.units).isInteger()) return this.reject(type, req, 'UNITS_PRECISION_EXCEEDED', 'The units specified contains more precision than is allowed');
    if (type === 'LIMIT' && !isPrice(req.price)) return this.reject(type, req, 'PRICE_INVALID', 'The price specified is invalid');
    const cid = (req.clientExtensions as { id?: string } | undefined)?.id;
    if (cid !== undefined) {
      const clash = this.st.orders.find((o) => o.clientExtensions?.id === cid && (this.o.duplicates === 'reject-any' || o.state === 'PENDING'));
      if (clash) return this.reject(type, req, 'CLIENT_ORDER_ID_ALREADY_EXISTS', 'The client order ID specified is already assigned to another pending order');
    }
    const onFill = (k: 'stopLossOnFill' | 'takeProfitOnFill') => {
      const v = req[k] as { price?: string } | undefined;
      return v && isPrice(v.price) ? { price: v.price, timeInForce: 'GTC' } : undefined;
    };
    const units = s(new D(req.units));
    const create = this.tx({
      type: `${type}_ORDER`,
      instrument,
      units,
      ...(type === 'LIMIT' ? { price: req.price, triggerCondition: 'DEFAULT' } : {}),
      timeInForce: type === 'MARKET' ? 'FOK' : 'GTC',
      positionFill: req.positionFill ?? 'DEFAULT',
      reason: 'CLIENT_ORDER',
      ...(cid !== undefined ? { clientExtensions: { id: cid } } : {}),
      ...(onFill('stopLossOnFill') ? { stopLossOnFill: onFill('stopLossOnFill') } : {}),
      ...(onFill('takeProfitOnFill') ? { takeProfitOnFill: onFill('takeProfitOnFill') } : {}),
    });
    const order: OOrder = {
      id: String(create.id),
      createTime: String(create.time),
      state: 'PENDING',
      type,
      instrument,
      units,
      ...(type === 'LIMIT' ? { price: String(req.price), triggerCondition: 'DEFAULT' } : {}),
      timeInForce: type === 'MARKET' ? 'FOK' : 'GTC',
      positionFill: String(req.positionFill ?? 'DEFAULT'),
      ...(cid !== undefined ? { clientExtensions: { id: cid } } : {}),
      stopLossOnFill: onFill('stopLossOnFill'),
      takeProfitOnFill: onFill('takeProfitOnFill'),
    };
    this.st.orders.push(order);
    const out: Json = { orderCreateTransaction: create };
    const buy = new D(units).gt(0);
    const market = buy ? this.ask(instrument) : this.bid(instrument);
    if (type === 'MARKET' || (buy ? market.lte(order.price!) : market.gte(order.price!))) {
      const result = this.fill(order, market, type === 'MARKET' ? 'MARKET_ORDER' : 'LIMIT_ORDER');
      out[result.type === 'ORDER_FILL' ? 'orderFillTransaction' : 'orderCancelTransaction'] = result;
    }
    const related = [
      create.id,
      ...Object.values(out)
        .slice(1)
        .map((t) => (t as Json).id),
    ];
    return new HttpReply(201, { ...out, relatedTransactionIDs: related, lastTransactionID: String(this.st.lastTransactionID) });
  }

  private cancel(order: OOrder, reason: string): Json {
    const t = this.tx({ type: 'ORDER_CANCEL', orderID: order.id, ...(order.clientExtensions ? { clientOrderID: order.clientExtensions.id } : {}), reason });
    order.state = 'CANCELLED';
    order.cancellingTransactionID = String(t.id);
    order.cancelledTime = String(t.time);
    return t;
  }

  /** Fills all units of `order` at `price` (FIFO against opposite trades), or cancels it when it may not fill. */
  private fill(order: OOrder, price: Dec, reason: string): Json {
    const instrument = order.instrument!;
    let remaining = new D(order.units!);
    const sign = remaining.gt(0) ? 1 : -1;
    const opposite = this.openTrades(instrument).filter((t) => Math.sign(Number(t.currentUnits)) === -sign);
    const closable = opposite.reduce((a, t) => a.add(new D(t.currentUnits).abs()), new D(0));
    const opening = D.max(remaining.abs().sub(closable), 0);
    if (order.positionFill === 'REDUCE_ONLY' && opening.gt(0)) return this.cancel(order, 'REDUCE_ONLY_POSITION_FILL_VIOLATION');
    const sl = order.stopLossOnFill?.price;
    const tp = order.takeProfitOnFill?.price;
    if (opening.gt(0) && sl && (sign > 0 ? price.lte(sl) : price.gte(sl))) return this.cancel(order, 'STOP_LOSS_ON_FILL_LOSS');
    if (opening.gt(0) && tp && (sign > 0 ? price.gte(tp) : price.lte(tp))) return this.cancel(order, 'TAKE_PROFIT_ON_FILL_LOSS');
    if (opening.gt(0)) {
      const needed = opening
        .mul(this.mid(instrument))
        .mul(this.toAccount(instrument, this.mid(instrument)))
        .mul(this.o.marginRate);
      if (needed.gt(this.figures().available)) return this.cancel(order, 'INSUFFICIENT_MARGIN');
    }
    const fillId = String(++this.st.lastTransactionID);
    const time = this.now();
    const closed: Json[] = [];
    let reduced: Json | undefined;
    let pl = new D(0);
    for (const t of opposite) {
      if (remaining.isZero()) break;
      const tu = new D(t.currentUnits);
      const take = D.min(remaining.abs(), tu.abs());
      const tradePl = price
        .sub(t.price)
        .mul(take)
        .mul(tu.gt(0) ? 1 : -1)
        .mul(this.toAccount(instrument, price));
      pl = pl.add(tradePl);
      t.realizedPL = s(new D(t.realizedPL).add(tradePl));
      const left = tu
        .abs()
        .sub(take)
        .mul(tu.gt(0) ? 1 : -1);
      const entry = { tradeID: t.id, units: s(take.mul(-Math.sign(tu.toNumber()))), price: s(price), realizedPL: s(tradePl), financing: '0', halfSpreadCost: '0' };
      t.currentUnits = s(left);
      if (left.isZero()) {
        t.state = 'CLOSED';
        t.closeTime = time;
        for (const id of [t.stopLossOrderID, t.takeProfitOrderID]) {
          const dep = id ? this.st.orders.find((o) => o.id === id && o.state === 'PENDING') : undefined;
          if (dep) dep.state = 'CANCELLED';
        }
        closed.push(entry);
      } else reduced = entry;
      remaining = remaining.sub(take.mul(sign));
    }
    let opened: Json | undefined;
    if (!remaining.isZero()) {
      const trade: OTrade = {
        id: fillId,
        instrument,
        price: s(price),
        openTime: time,
        state: 'OPEN',
        initialUnits: s(remaining),
        currentUnits: s(remaining),
        realizedPL: '0',
        financing: '0',
        ...(order.clientExtensions ? { clientExtensions: { id: order.clientExtensions.id } } : {}),
      };
      this.st.trades.push(trade);
      opened = { tradeID: trade.id, units: trade.currentUnits, price: trade.price, guaranteedExecutionFee: '0', halfSpreadCost: '0', initialMarginRequired: '0' };
      const dependent = (type: 'STOP_LOSS' | 'TAKE_PROFIT', p?: string) => {
        if (!p) return undefined;
        const t = this.tx({ type: `${type}_ORDER`, tradeID: trade.id, price: p, timeInForce: 'GTC', triggerCondition: 'DEFAULT', reason: 'ON_FILL' });
        this.st.orders.push({ id: String(t.id), createTime: String(t.time), state: 'PENDING', type, tradeID: trade.id, price: p, timeInForce: 'GTC', triggerCondition: 'DEFAULT' });
        return String(t.id);
      };
      trade.stopLossOrderID = dependent('STOP_LOSS', sl);
      trade.takeProfitOrderID = dependent('TAKE_PROFIT', tp);
    }
    this.st.balance = s(new D(this.st.balance).add(pl));
    const fill: Json = {
      id: fillId,
      time,
      userID: 1,
      accountID: this.st.accountId,
      batchID: fillId,
      requestID: '',
      type: 'ORDER_FILL',
      orderID: order.id,
      ...(order.clientExtensions ? { clientOrderID: order.clientExtensions.id } : {}),
      instrument,
      units: order.units,
      price: s(price),
      fullVWAP: s(price),
      fullPrice: {
        type: 'PRICE',
        bids: [{ price: s(this.bid(instrument)), liquidity: 10000000 }],
        asks: [{ price: s(this.ask(instrument)), liquidity: 10000000 }],
        closeoutBid: s(this.bid(instrument)),
        closeoutAsk: s(this.ask(instrument)),
      },
      reason,
      pl: s(pl),
      quotePL: s(pl),
      financing: '0',
      commission: '0',
      guaranteedExecutionFee: '0',
      accountBalance: this.st.balance,
      ...(opened ? { tradeOpened: opened } : {}),
      ...(closed.length ? { tradesClosed: closed } : {}),
      ...(reduced ? { tradeReduced: reduced } : {}),
      halfSpreadCost: '0',
    };
    // Ids are handed out in order; the fill took one above, so insert it where it belongs.
    const at = this.st.transactions.findIndex((t) => Number(t.id) > Number(fillId));
    if (at < 0) this.st.transactions.push(fill);
    else this.st.transactions.splice(at, 0, fill);
    order.state = 'FILLED';
    order.fillingTransactionID = fillId;
    order.filledTime = time;
    if (opened) order.tradeOpenedID = String(opened.tradeID);
    if (closed.length) order.tradeClosedIDs = closed.map((c) => String(c.tradeID));
    if (reduced) order.tradeReducedID = String(reduced.tradeID);
    return fill;
  }

  cancelOrder(spec: string): HttpReply {
    const o = this.order(spec);
    if (!o || o.state !== 'PENDING') {
      const t = this.tx({ type: 'ORDER_CANCEL_REJECT', orderID: o?.id ?? spec, rejectReason: 'ORDER_DOESNT_EXIST' });
      return err(404, 'The Order specified does not exist', { orderCancelRejectTransaction: t, relatedTransactionIDs: [t.id], lastTransactionID: t.id, errorCode: 'ORDER_DOESNT_EXIST' });
    }
    const t = this.cancel(o, 'CLIENT_REQUEST');
    return new HttpReply(200, { orderCancelTransaction: t, relatedTransactionIDs: [t.id], lastTransactionID: t.id });
  }

  closePosition(instrument: string, body: unknown): HttpReply {
    if (!(instrument in this.st.prices)) return err(404, `The instrument specified does not exist`, { errorCode: 'NO_SUCH_INSTRUMENT' });
    const b = (body ?? {}) as Json;
    const out: Json = {};
    for (const [side, sign] of [
      ['long', 1],
      ['short', -1],
    ] as const) {
      const req = b[`${side}Units`];
      if (req === undefined || req === 'NONE') continue;
      const held = this.openTrades(instrument)
        .filter((t) => Math.sign(Number(t.currentUnits)) === sign)
        .reduce((a, t) => a.add(t.currentUnits), new D(0));
      if (held.isZero()) {
        const t = this.tx({ type: 'MARKET_ORDER_REJECT', instrument, rejectReason: 'CLOSEOUT_POSITION_DOESNT_EXIST' });
        return err(400, 'The Position requested to be closed out does not exist', { [`${side}OrderRejectTransaction`]: t, errorCode: 'CLOSEOUT_POSITION_DOESNT_EXIST', lastTransactionID: t.id });
      }
      const units = req === 'ALL' ? held.neg() : new D(String(req)).mul(-sign);
      const cid = (b[`${side}ClientExtensions`] as { id?: string } | undefined)?.id;
      if (cid !== undefined && this.st.orders.some((o) => o.clientExtensions?.id === cid && (this.o.duplicates === 'reject-any' || o.state === 'PENDING'))) {
        const t = this.tx({ type: 'MARKET_ORDER_REJECT', instrument, rejectReason: 'CLIENT_ORDER_ID_ALREADY_EXISTS' });
        return err(400, 'The client order ID specified is already assigned to another pending order', { [`${side}OrderRejectTransaction`]: t, errorCode: 'CLIENT_ORDER_ID_ALREADY_EXISTS' });
      }
      const create = this.tx({
        type: 'MARKET_ORDER',
        instrument,
        units: s(units),
        timeInForce: 'FOK',
        positionFill: 'REDUCE_ONLY',
        reason: 'POSITION_CLOSEOUT',
        [`${side}PositionCloseout`]: { instrument, units: req },
        ...(cid !== undefined ? { clientExtensions: { id: cid } } : {}),
      });
      const order: OOrder = {
        id: String(create.id),
        createTime: String(create.time),
        state: 'PENDING',
        type: 'MARKET',
        instrument,
        units: s(units),
        timeInForce: 'FOK',
        positionFill: 'REDUCE_ONLY',
        ...(cid !== undefined ? { clientExtensions: { id: cid } } : {}),
      };
      this.st.orders.push(order);
      out[`${side}OrderCreateTransaction`] = create;
      out[`${side}OrderFillTransaction`] = this.fill(order, sign > 0 ? this.bid(instrument) : this.ask(instrument), 'MARKET_ORDER_POSITION_CLOSEOUT');
    }
    if (Object.keys(out).length === 0) return err(400, 'Invalid value specified for longUnits/shortUnits', { errorCode: 'INVALID_REQUEST' });
    return new HttpReply(200, { ...out, relatedTransactionIDs: Object.values(out).map((t) => (t as Json).id), lastTransactionID: String(this.st.lastTransactionID) });
  }

  /** Moves the mid price and works the pending orders it reaches, oldest first. */
  setPrice(instrument: string, mid: number): void {
    this.st.prices[instrument] = String(mid);
    for (const o of [...this.st.orders]) {
      if (o.state !== 'PENDING') continue;
      if (o.type === 'LIMIT' && o.instrument === instrument) {
        const buy = new D(o.units!).gt(0);
        const touched = buy ? this.ask(instrument).lte(o.price!) : this.bid(instrument).gte(o.price!);
        if (touched) this.fill(o, new D(o.price!), 'LIMIT_ORDER');
      } else if (DEPENDENT.has(o.type)) {
        const trade = this.st.trades.find((t) => t.id === o.tradeID);
        if (!trade || trade.state !== 'OPEN' || trade.instrument !== instrument) continue;
        const long = new D(trade.currentUnits).gt(0);
        const exitPrice = long ? this.bid(instrument) : this.ask(instrument);
        const hit = o.type === 'STOP_LOSS' ? (long ? exitPrice.lte(o.price!) : exitPrice.gte(o.price!)) : long ? exitPrice.gte(o.price!) : exitPrice.lte(o.price!);
        if (!hit) continue;
        o.state = 'TRIGGERED';
        const closer: OOrder = { ...o, id: o.id, units: s(new D(trade.currentUnits).neg()), instrument, positionFill: 'REDUCE_ONLY' };
        this.fill(closer, new D(o.price!), o.type === 'STOP_LOSS' ? 'STOP_LOSS_ORDER' : 'TAKE_PROFIT_ORDER');
        o.state = 'FILLED';
        o.fillingTransactionID = closer.fillingTransactionID;
        o.filledTime = closer.filledTime;
      }
    }
  }

  transactionPages(base: string, q: URLSearchParams): HttpReply {
    const from = q.get('from') ? Date.parse(q.get('from')!) : Date.parse(this.st.createdTime);
    const to = q.get('to') ? Date.parse(q.get('to')!) : Date.now() + 1;
    const types = q.get('type')?.split(',');
    const pageSize = Math.min(Number(q.get('pageSize') ?? 100), 1000);
    const inRange = this.st.transactions.filter((t) => {
      const at = Date.parse(String(t.time));
      return at >= from && at <= to;
    });
    const matching = inRange.filter((t) => !types || types.includes(String(t.type)));
    const pages: string[] = [];
    if (inRange.length) {
      const first = Number(inRange[0].id);
      const last = Number(inRange[inRange.length - 1].id);
      for (let a = first; a <= last; a += pageSize) {
        pages.push(`${base}/v3/accounts/${this.st.accountId}/transactions/idrange?from=${a}&to=${Math.min(a + pageSize - 1, last)}${types ? `&type=${types.join(',')}` : ''}`);
      }
    }
    return new HttpReply(200, {
      from: q.get('from') ?? this.st.createdTime,
      to: rfc3339(to),
      pageSize,
      ...(types ? { type: types } : {}),
      count: matching.length,
      pages,
      lastTransactionID: String(this.st.lastTransactionID),
    });
  }

  idrange(q: URLSearchParams): HttpReply {
    const from = Number(q.get('from'));
    const to = Number(q.get('to'));
    const types = q.get('type')?.split(',');
    const txs = this.st.transactions.filter((t) => Number(t.id) >= from && Number(t.id) <= to && (!types || types.includes(String(t.type))));
    return new HttpReply(200, { transactions: txs, lastTransactionID: String(this.st.lastTransactionID) });
  }
}

export async function startFakeOanda(opts: FakeOandaOptions = {}): Promise<FakeOanda> {
  const token = opts.token ?? 'fake-oanda-token';
  const accountId = opts.accountId ?? '101-004-1234567-001';
  const state = loadState<OandaState>(opts.statePath, () => ({
    accountId,
    currency: opts.currency ?? 'USD',
    createdTime: rfc3339(Date.now() - 86_400_000),
    balance: opts.balance ?? '100000',
    lastTransactionID: 1,
    prices: Object.fromEntries(Object.entries(opts.prices ?? { EUR_USD: 1.1, GBP_USD: 1.27, USD_JPY: 150 }).map(([k, v]) => [k, String(v)])),
    orders: [],
    trades: [],
    transactions: [{ id: '1', time: rfc3339(Date.now() - 86_400_000), type: 'CREATE', accountID: accountId, divisionID: 4, siteID: 101, homeCurrency: opts.currency ?? 'USD' }],
  }));
  const book = new OandaBook(state, {
    halfSpread: new D(String(opts.halfSpread ?? 0.00005)),
    marginRate: new D(String(opts.marginRate ?? 0.02)),
    duplicates: opts.duplicateClientIds ?? 'reject-pending',
  });
  const save = stateSaver(opts.statePath, state);
  save();

  const route = ({ method, path, query: q, body, base }: { method: string; path: string; query: URLSearchParams; body: unknown; base: string }): HttpReply => {
    if (method === 'GET' && path === '/v3/accounts') return new HttpReply(200, { accounts: [{ id: state.accountId, tags: [] }] });
    const m = /^\/v3\/accounts\/([^/]+)(\/.*)?$/.exec(path);
    if (!m) return err(404, `The requested resource ${path} does not exist`);
    if (m[1] !== state.accountId) return err(403, 'The provided request was forbidden.');
    const rest = m[2] ?? '';
    const seg = rest.split('/').filter(Boolean).map(decodeURIComponent);
    const key = `${method} /${seg.map((x, i) => (i === 1 && ['orders', 'positions', 'transactions'].includes(seg[0]) && !['idrange'].includes(x) ? ':' : x)).join('/')}`;
    switch (key) {
      case 'GET /':
      case 'GET /summary':
        return new HttpReply(200, book.summary());
      case 'GET /pricing':
        return new HttpReply(200, book.pricing((q.get('instruments') ?? '').split(',').filter(Boolean)));
      case 'POST /orders':
        return book.createOrder(body);
      case 'GET /orders/:': {
        const found = book.order(seg[1]);
        const o = found && Date.now() - Date.parse(found.createTime) >= (opts.lookupLagMs ?? 0) ? found : undefined;
        return o
          ? new HttpReply(200, { order: o, lastTransactionID: String(state.lastTransactionID) })
          : err(404, 'The order ID specified does not exist', { errorCode: 'NO_SUCH_ORDER', lastTransactionID: String(state.lastTransactionID) });
      }
      case 'PUT /orders/:/cancel':
        return book.cancelOrder(seg[1]);
      case 'GET /pendingOrders':
        return new HttpReply(200, { orders: state.orders.filter((o) => o.state === 'PENDING'), lastTransactionID: String(state.lastTransactionID) });
      case 'GET /openTrades':
        return new HttpReply(200, { trades: book.tradesJson(), lastTransactionID: String(state.lastTransactionID) });
      case 'GET /openPositions':
        return new HttpReply(200, { positions: book.positionsJson(), lastTransactionID: String(state.lastTransactionID) });
      case 'GET /positions/:':
        return seg[1] in state.prices ? new HttpReply(200, { position: book.position(seg[1]), lastTransactionID: String(state.lastTransactionID) }) : err(404, 'The instrument specified does not exist');
      case 'PUT /positions/:/close':
        return book.closePosition(seg[1], body);
      case 'GET /transactions':
        return book.transactionPages(base, q);
      case 'GET /transactions/idrange':
        return book.idrange(q);
      case 'GET /transactions/:': {
        const t = state.transactions.find((x) => x.id === seg[1]);
        return t ? new HttpReply(200, { transaction: t, lastTransactionID: String(state.lastTransactionID) }) : err(404, 'The transaction ID specified does not exist', { errorCode: 'NO_SUCH_TRANSACTION' });
      }
      default:
        return err(404, `The requested resource ${method} ${path} does not exist`);
    }
  };

  const server = await serveFakeVenue(
    {
      authorize: ({ headers }) => ({ ok: headers.authorization === `Bearer ${token}` }),
      route,
      unauthorized: err(401, 'Insufficient authorization to perform request.'),
      serverError: err(500, 'An unexpected error occurred. Please retry.'),
      save,
    },
    opts,
  );
  return {
    ...server,
    state,
    setPrice: (instrument, mid) => {
      book.setPrice(instrument, mid);
      save();
    },
  };
}
