/**
 * A local stand-in for Kraken's spot REST API (https://api.kraken.com, docs.kraken.com/api-reference)
 * serving the documented JSON envelope `{error: [..], result: {..}}` for one account:
 *
 * - GET  /0/public/Assets → {XXBT: {aclass, altname: "XBT", decimals, display_decimals, status}, ZUSD: …}
 * - GET  /0/public/AssetPairs → {XXBTZUSD: {altname: "XBTUSD", wsname: "XBT/USD", base: "XXBT", quote: "ZUSD", pair_decimals, lot_decimals, cost_decimals, ordermin, costmin, tick_size, fees, fees_maker, status}}
 * - GET  /0/public/Ticker?pair=XXBTZUSD → {XXBTZUSD: {a, b, c: [last, lot], v, p, t, l, h, o}}
 * - POST /0/private/BalanceEx → {XXBT: {balance, hold_trade}, …}
 * - POST /0/private/AddOrder pair, type (buy|sell), ordertype (market|limit), volume, price, cl_ord_id
 *   → {descr: {order}, txid: ["OXXXXX-XXXXX-XXXXXX"]}; `EOrder:Insufficient funds` when the account cannot pay
 * - POST /0/private/QueryOrders txid (comma list) → {txid: order} (unknown ids are left out)
 * - POST /0/private/OpenOrders → {open: {txid: order}}; /0/private/ClosedOrders start → {closed: {txid: order}, count}
 * - POST /0/private/CancelOrder txid → {count: 1}; `EOrder:Unknown order` for an id it does not know
 * - POST /0/private/TradesHistory start → {trades: {tradeid: {ordertxid, pair, time, type, ordertype, price, cost, fee, vol}}, count}
 *
 * Orders: {refid, userref, cl_ord_id, status (open|closed|canceled), opentm, closetm, starttm,
 * expiretm, descr: {pair, type, ordertype, price, price2, leverage, order, close}, vol, vol_exec,
 * cost, fee, price (average), stopprice, limitprice, misc, oflags, trades}. Times are seconds.
 *
 * Private calls are authenticated as Kraken documents: form-encoded body with a `nonce`,
 * `API-Key` header, `API-Sign` = base64(HMAC-SHA512(path + SHA256(nonce + body), base64-decoded
 * secret)); anything else answers `EAPI:Invalid key`. Failure modes come from fake-venue-http.ts.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { HttpReply, isPositiveDecimal, serveFakeVenue, type FakeVenueMode, type FakeVenueServer } from './fake-venue-http.js';
import { SpotBook, type SpotOrder, type SpotTrade } from './spot-book.js';

export const FAKE_KRAKEN_KEY = 'fake-kraken-api-key-0123456789';
/** A Kraken API secret is base64. */
export const FAKE_KRAKEN_SECRET = randomBytes(64).toString('base64');

// Kraken's legacy asset names (X for crypto, Z for fiat), as AssetPairs and BalanceEx report them.
const ASSET: Record<string, string> = { BTC: 'XXBT', ETH: 'XETH', XRP: 'XXRP', USD: 'ZUSD', EUR: 'ZEUR' };
const ALT: Record<string, string> = { BTC: 'XBT', ETH: 'ETH', XRP: 'XRP', USD: 'USD', EUR: 'EUR' };
const ok = (result: unknown) => new HttpReply(200, { error: [], result: result as Record<string, unknown> });
const fail = (...error: string[]) => new HttpReply(200, { error });

export interface FakeKraken extends FakeVenueServer {
  book: SpotBook;
  setMode(mode: FakeVenueMode): void;
}

export async function startFakeKraken(o: { prices: Record<string, number>; balances?: Record<string, string>; secret?: string }): Promise<FakeKraken> {
  const secret = o.secret ?? FAKE_KRAKEN_SECRET;
  // prices: {'BTC/USD': 40000}
  const prices = Object.fromEntries(Object.entries(o.prices).map(([k, v]) => [k, String(v)]));
  const book = new SpotBook(SpotBook.fresh(o.balances ?? { USD: '100000' }, prices), '0.0026', (kind, n) =>
    kind === 'order'
      ? `O${n.toString(36).toUpperCase().padStart(5, 'Q')}-ABCDE-${n.toString(36).toUpperCase().padStart(6, 'F')}`
      : `T${n.toString(36).toUpperCase().padStart(5, 'R')}-FGHIJ-${n.toString(36).toUpperCase().padStart(6, 'K')}`,
  );
  const pairs = Object.keys(prices).map((k) => {
    const [base, quote] = k.split('/');
    return { base, quote, id: `${ASSET[base]}${ASSET[quote]}`, alt: `${ALT[base]}${ALT[quote]}` };
  });
  const pairOf = (idOrAlt: string) => pairs.find((p) => p.id === idOrAlt || p.alt === idOrAlt);
  const sec = (ms: number) => ms / 1000;

  const wireOrder = (x: SpotOrder) => {
    const p = pairs.find((q) => q.base === x.base && q.quote === x.quote)!;
    return {
      refid: null,
      userref: 0,
      ...(x.clientId ? { cl_ord_id: x.clientId } : {}),
      status: x.status === 'filled' ? 'closed' : x.status === 'cancelled' ? 'canceled' : 'open',
      opentm: sec(x.createdAt),
      ...(x.closedAt !== null ? { closetm: sec(x.closedAt) } : {}),
      starttm: 0,
      expiretm: 0,
      descr: {
        pair: p.alt,
        type: x.side,
        ordertype: x.type,
        price: x.limitPrice ?? '0',
        price2: '0',
        leverage: 'none',
        order: `${x.side} ${x.amount} ${p.alt} @ ${x.type === 'limit' ? `limit ${x.limitPrice}` : 'market'}`,
        close: '',
      },
      vol: x.amount,
      vol_exec: x.filled,
      cost: x.cost,
      fee: x.fee,
      price: x.filled !== '0' ? String(Number(x.cost) / Number(x.filled)) : '0',
      stopprice: '0',
      limitprice: '0',
      misc: '',
      oflags: 'fciq',
      ...(x.tradeIds.length ? { trades: x.tradeIds } : {}),
    };
  };
  const wireTrade = (t: SpotTrade) => {
    const p = pairs.find((q) => q.base === t.base && q.quote === t.quote)!;
    return {
      ordertxid: t.orderId,
      postxid: 'TKH2SE-M7IF5-CFI7LT',
      pair: p.id,
      time: sec(t.time),
      type: t.side,
      ordertype: book.byId(t.orderId)?.type ?? 'market',
      price: t.price,
      cost: t.cost,
      fee: t.fee,
      vol: t.amount,
      margin: '0',
      misc: '',
    };
  };

  const route = ({ method, path, query, body }: { method: string; path: string; query: URLSearchParams; body: unknown }) => {
    if (method === 'GET' && path === '/0/public/Assets') {
      const assets = new Set(pairs.flatMap((p) => [p.base, p.quote]));
      return ok(
        Object.fromEntries(
          [...assets].map((a) => [ASSET[a], { aclass: 'currency', altname: ALT[a], decimals: a === 'USD' || a === 'EUR' ? 4 : 10, display_decimals: a === 'USD' || a === 'EUR' ? 2 : 5, status: 'enabled' }]),
        ),
      );
    }
    if (method === 'GET' && path === '/0/public/AssetPairs') {
      return ok(
        Object.fromEntries(
          pairs.map((p) => [
            p.id,
            {
              altname: p.alt,
              wsname: `${ALT[p.base]}/${ALT[p.quote]}`,
              aclass_base: 'currency',
              base: ASSET[p.base],
              aclass_quote: 'currency',
              quote: ASSET[p.quote],
              lot: 'unit',
              cost_decimals: 5,
              pair_decimals: 5,
              lot_decimals: 8,
              lot_multiplier: 1,
              leverage_buy: [],
              leverage_sell: [],
              fees: [[0, 0.26]],
              fees_maker: [[0, 0.16]],
              fee_volume_currency: 'ZUSD',
              margin_call: 80,
              margin_stop: 40,
              ordermin: '0.0001',
              costmin: '0.5',
              tick_size: '0.00001',
              status: 'online',
            },
          ]),
        ),
      );
    }
    if (method === 'GET' && path === '/0/public/Ticker') {
      const p = pairOf(query.get('pair') ?? '');
      if (!p) return fail('EQuery:Unknown asset pair');
      const last = book.price(p.base, p.quote)!;
      return ok({ [p.id]: { a: [last, '1', '1.000'], b: [last, '1', '1.000'], c: [last, '0.01'], v: ['10', '20'], p: [last, last], t: [5, 10], l: [last, last], h: [last, last], o: last } });
    }
    if (method !== 'POST' || !path.startsWith('/0/private/')) return new HttpReply(404, { error: ['EGeneral:Unknown method'] });
    const form = new URLSearchParams(typeof body === 'string' ? body : '');
    const now = Date.now();
    switch (path.slice('/0/private/'.length)) {
      case 'BalanceEx':
        return ok(Object.fromEntries(Object.entries(book.state.balances).map(([a, b]) => [ASSET[a] ?? a, { balance: String(Number(b.free) + Number(b.held)), hold_trade: b.held }])));
      case 'AddOrder': {
        const p = pairOf(form.get('pair') ?? '');
        if (!p) return fail('EQuery:Unknown asset pair');
        const type = form.get('type');
        const ordertype = form.get('ordertype');
        const volume = form.get('volume');
        const price = form.get('price');
        if ((type !== 'buy' && type !== 'sell') || (ordertype !== 'market' && ordertype !== 'limit') || !isPositiveDecimal(volume)) return fail('EGeneral:Invalid arguments');
        if (ordertype === 'limit' && !isPositiveDecimal(price)) return fail('EGeneral:Invalid arguments:price');
        const clOrdId = form.get('cl_ord_id') ?? '';
        if (clOrdId && book.state.orders.some((x) => x.clientId === clOrdId && x.status === 'open')) return fail('EOrder:Duplicate cl_ord_id');
        const r = book.place({ clientId: clOrdId, base: p.base, quote: p.quote, side: type, type: ordertype, amount: volume, limitPrice: ordertype === 'limit' ? price : null, now });
        if (!r.ok) return fail(r.error === 'INSUFFICIENT_FUNDS' ? 'EOrder:Insufficient funds' : 'EGeneral:Invalid arguments');
        return ok({ descr: { order: wireOrder(r.order).descr.order }, txid: [r.order.id] });
      }
      case 'QueryOrders': {
        const ids = (form.get('txid') ?? '').split(',').filter(Boolean);
        return ok(Object.fromEntries(ids.flatMap((id) => (book.byId(id) ? [[id, wireOrder(book.byId(id)!)]] : []))));
      }
      case 'OpenOrders':
        return ok({ open: Object.fromEntries(book.state.orders.filter((x) => x.status === 'open').map((x) => [x.id, wireOrder(x)])) });
      case 'ClosedOrders': {
        const start = Number(form.get('start') ?? 0) * 1000;
        const closed = book.state.orders.filter((x) => x.status !== 'open' && x.createdAt >= start).reverse();
        return ok({ closed: Object.fromEntries(closed.map((x) => [x.id, wireOrder(x)])), count: closed.length });
      }
      case 'CancelOrder': {
        const id = form.get('txid') ?? '';
        const known = book.byId(id);
        if (!known) return fail('EOrder:Unknown order');
        return ok({ count: book.cancel(id, now) ? 1 : 0 });
      }
      case 'TradesHistory': {
        const start = Number(form.get('start') ?? 0) * 1000;
        const trades = book.state.trades.filter((t) => t.time >= start).reverse();
        return ok({ trades: Object.fromEntries(trades.map((t) => [t.id, wireTrade(t)])), count: trades.length });
      }
      default:
        return new HttpReply(404, { error: ['EGeneral:Unknown method'] });
    }
  };

  const server = await serveFakeVenue(
    {
      authorize: ({ path, headers }) => ({ ok: !path.startsWith('/0/private/') || headers['api-key'] === FAKE_KRAKEN_KEY }),
      route: (req) => {
        if (req.path.startsWith('/0/private/')) {
          const raw = typeof req.body === 'string' ? req.body : '';
          const nonce = new URLSearchParams(raw).get('nonce') ?? '';
          const sign = createHmac('sha512', Buffer.from(secret, 'base64'))
            .update(
              Buffer.concat([
                Buffer.from(req.path),
                createHash('sha256')
                  .update(nonce + raw)
                  .digest(),
              ]),
            )
            .digest('base64');
          if (!nonce || req.headers['api-sign'] !== sign) return fail('EAPI:Invalid key');
        }
        return route(req);
      },
      unauthorized: fail('EAPI:Invalid key'),
      serverError: new HttpReply(500, '<html><body>Internal Server Error</body></html>'),
      save: () => undefined,
      // Every private call is a POST; only these change the book.
      mutates: ({ path }) => path === '/0/private/AddOrder' || path === '/0/private/CancelOrder',
    },
    {},
  );
  return { ...server, book };
}
