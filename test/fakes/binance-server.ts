/**
 * A local stand-in for Binance's spot REST API (https://api.binance.com/api/v3,
 * developers.binance.com/docs/binance-spot-api-docs/rest-api) for one account:
 *
 * - GET    /api/v3/exchangeInfo → {timezone, serverTime, rateLimits, exchangeFilters, symbols: [{symbol, status, baseAsset,
 *          baseAssetPrecision, quoteAsset, quotePrecision, quoteAssetPrecision, orderTypes, isSpotTradingAllowed,
 *          isMarginTradingAllowed, filters: [PRICE_FILTER, LOT_SIZE, NOTIONAL], permissionSets}]}
 * - GET    /api/v3/ticker/24hr?symbol → {symbol, lastPrice, bidPrice, askPrice, openPrice, highPrice, lowPrice, volume, quoteVolume, openTime, closeTime, count, …}
 * - GET    /api/v3/account → {makerCommission, takerCommission, canTrade, accountType: "SPOT", balances: [{asset, free, locked}], permissions}
 * - POST   /api/v3/order symbol, side (BUY|SELL), type (MARKET|LIMIT), quantity, price, timeInForce, newClientOrderId
 *          → FULL response {symbol, orderId, orderListId, clientOrderId, transactTime, price, origQty, executedQty,
 *          cummulativeQuoteQty, status, timeInForce, type, side, workingTime, fills: [{price, qty, commission, commissionAsset, tradeId}]}
 * - GET    /api/v3/order symbol + orderId | origClientOrderId → order; HTTP 400 {code: -2013, msg: "Order does not exist."}
 * - DELETE /api/v3/order symbol + orderId → the cancelled order; HTTP 400 {code: -2011, msg: "Unknown order sent."}
 * - GET    /api/v3/openOrders [symbol] · /api/v3/allOrders symbol [startTime] · /api/v3/myTrades symbol [startTime]
 *
 * Orders: {symbol, orderId, orderListId, clientOrderId, price, origQty, executedQty, cummulativeQuoteQty, status
 * (NEW|FILLED|CANCELED), timeInForce, type, side, stopPrice, icebergQty, time, updateTime, isWorking, workingTime,
 * origQuoteOrderQty, selfTradePreventionMode}. Trades: {symbol, id, orderId, orderListId, price, qty, quoteQty,
 * commission, commissionAsset, time, isBuyer, isMaker, isBestMatch}.
 *
 * SIGNED endpoints are checked as Binance documents: `X-MBX-APIKEY` header (else HTTP 401 {code: -2015}) and
 * `signature` = hex HMAC-SHA256(secret, query string + body without the signature) (else HTTP 400 {code: -1022}).
 * A newClientOrderId of an order still open is refused (-2010 "Duplicate order sent."). Failure modes come
 * from fake-venue-http.ts.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { HttpReply, isPositiveDecimal, serveFakeVenue, type FakeReply, type FakeVenueMode, type FakeVenueServer } from './fake-venue-http.js';
import { SpotBook, type SpotOrder, type SpotTrade } from './spot-book.js';

export const FAKE_BINANCE_KEY = 'fakeBinanceApiKey0123456789abcdefABCDEF';
export const FAKE_BINANCE_SECRET = randomBytes(32).toString('hex');

const err = (status: number, code: number, msg: string) => new HttpReply(status, { code, msg });
/** Listings answer a bare JSON array. */
const list = (body: unknown[]): FakeReply => ({ status: 200, body });

export interface FakeBinance extends FakeVenueServer {
  book: SpotBook;
  setMode(mode: FakeVenueMode): void;
}

export async function startFakeBinance(o: { prices: Record<string, number>; balances?: Record<string, string>; secret?: string }): Promise<FakeBinance> {
  const secret = o.secret ?? FAKE_BINANCE_SECRET;
  const prices = Object.fromEntries(Object.entries(o.prices).map(([k, v]) => [k, String(v)]));
  const book = new SpotBook(SpotBook.fresh(o.balances ?? { USDT: '100000' }, prices), '0.001', (_kind, n) => String(1000 + n));
  const symbols = Object.keys(prices).map((k) => {
    const [base, quote] = k.split('/');
    return { base, quote, id: `${base}${quote}` };
  });
  const symbolOf = (id: string | null) => symbols.find((x) => x.id === id);

  const STATUS = { open: 'NEW', filled: 'FILLED', cancelled: 'CANCELED' } as const;
  const wireOrder = (x: SpotOrder) => ({
    symbol: `${x.base}${x.quote}`,
    orderId: Number(x.id),
    orderListId: -1,
    clientOrderId: x.clientId,
    price: x.limitPrice ?? '0.00000000',
    origQty: x.amount,
    executedQty: x.filled,
    cummulativeQuoteQty: x.cost,
    status: STATUS[x.status],
    timeInForce: x.type === 'limit' ? 'GTC' : 'GTC',
    type: x.type.toUpperCase(),
    side: x.side.toUpperCase(),
    stopPrice: '0.00000000',
    icebergQty: '0.00000000',
    time: x.createdAt,
    updateTime: x.closedAt ?? x.createdAt,
    isWorking: true,
    workingTime: x.createdAt,
    origQuoteOrderQty: '0.00000000',
    selfTradePreventionMode: 'EXPIRE_MAKER',
  });
  const wireTrade = (t: SpotTrade) => ({
    symbol: `${t.base}${t.quote}`,
    id: Number(t.id),
    orderId: Number(t.orderId),
    orderListId: -1,
    price: t.price,
    qty: t.amount,
    quoteQty: t.cost,
    commission: t.fee,
    commissionAsset: t.quote,
    time: t.time,
    isBuyer: t.side === 'buy',
    isMaker: false,
    isBestMatch: true,
  });

  const route = (method: string, path: string, p: URLSearchParams): FakeReply => {
    const now = Date.now();
    if (method === 'GET' && path === '/api/v3/exchangeInfo') {
      return new HttpReply(200, {
        timezone: 'UTC',
        serverTime: now,
        rateLimits: [],
        exchangeFilters: [],
        symbols: symbols.map((x) => ({
          symbol: x.id,
          status: 'TRADING',
          baseAsset: x.base,
          baseAssetPrecision: 8,
          quoteAsset: x.quote,
          quotePrecision: 8,
          quoteAssetPrecision: 8,
          baseCommissionPrecision: 8,
          quoteCommissionPrecision: 8,
          orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT'],
          icebergAllowed: true,
          ocoAllowed: true,
          quoteOrderQtyMarketAllowed: true,
          allowTrailingStop: true,
          cancelReplaceAllowed: true,
          isSpotTradingAllowed: true,
          isMarginTradingAllowed: false,
          filters: [
            { filterType: 'PRICE_FILTER', minPrice: '0.00001000', maxPrice: '1000000.00000000', tickSize: '0.00001000' },
            { filterType: 'LOT_SIZE', minQty: '0.00001000', maxQty: '9000.00000000', stepSize: '0.00001000' },
            { filterType: 'NOTIONAL', minNotional: '5.00000000', applyMinToMarket: true, maxNotional: '9000000.00000000', applyMaxToMarket: false, avgPriceMins: 5 },
          ],
          permissions: [],
          permissionSets: [['SPOT']],
          defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
          allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
        })),
      });
    }
    if (method === 'GET' && path === '/api/v3/ticker/24hr') {
      const x = symbolOf(p.get('symbol'));
      if (!x) return err(400, -1121, 'Invalid symbol.');
      const last = book.price(x.base, x.quote)!;
      return new HttpReply(200, {
        symbol: x.id,
        priceChange: '0',
        priceChangePercent: '0',
        weightedAvgPrice: last,
        prevClosePrice: last,
        lastPrice: last,
        lastQty: '0.01',
        bidPrice: last,
        bidQty: '1',
        askPrice: last,
        askQty: '1',
        openPrice: last,
        highPrice: last,
        lowPrice: last,
        volume: '10',
        quoteVolume: '400000',
        openTime: now - 86_400_000,
        closeTime: now,
        firstId: 1,
        lastId: 10,
        count: 10,
      });
    }
    if (method === 'GET' && path === '/api/v3/account') {
      return new HttpReply(200, {
        makerCommission: 10,
        takerCommission: 10,
        buyerCommission: 0,
        sellerCommission: 0,
        canTrade: true,
        canWithdraw: true,
        canDeposit: true,
        updateTime: now,
        accountType: 'SPOT',
        balances: Object.entries(book.state.balances).map(([asset, b]) => ({ asset, free: b.free, locked: b.held })),
        permissions: ['SPOT'],
      });
    }
    if (path === '/api/v3/order') {
      const x = symbolOf(p.get('symbol'));
      if (!x) return err(400, -1121, 'Invalid symbol.');
      if (method === 'POST') {
        const side = p.get('side');
        const type = p.get('type');
        const quantity = p.get('quantity');
        const price = p.get('price');
        if ((side !== 'BUY' && side !== 'SELL') || (type !== 'MARKET' && type !== 'LIMIT') || !isPositiveDecimal(quantity)) return err(400, -1102, 'Mandatory parameter was not sent, was empty/null, or malformed.');
        if (type === 'LIMIT' && (!isPositiveDecimal(price) || !p.get('timeInForce'))) return err(400, -1102, "Mandatory parameter 'price' was not sent, was empty/null, or malformed.");
        const clientId = p.get('newClientOrderId') ?? `web_${randomBytes(8).toString('hex')}`;
        if (book.state.orders.some((y) => y.clientId === clientId && y.status === 'open')) return err(400, -2010, 'Duplicate order sent.');
        const r = book.place({
          clientId,
          base: x.base,
          quote: x.quote,
          side: side === 'BUY' ? 'buy' : 'sell',
          type: type === 'MARKET' ? 'market' : 'limit',
          amount: quantity,
          limitPrice: type === 'LIMIT' ? price : null,
          now,
        });
        if (!r.ok) return r.error === 'INSUFFICIENT_FUNDS' ? err(400, -2010, 'Account has insufficient balance for requested action.') : err(400, -1013, 'Filter failure: LOT_SIZE');
        const trades = book.state.trades.filter((t) => t.orderId === r.order.id);
        return new HttpReply(200, {
          ...wireOrder(r.order),
          transactTime: now,
          fills: trades.map((t) => ({ price: t.price, qty: t.amount, commission: t.fee, commissionAsset: t.quote, tradeId: Number(t.id) })),
        });
      }
      const byId = p.get('orderId');
      const byClient = p.get('origClientOrderId');
      const found = book.state.orders.find((y) => `${y.base}${y.quote}` === x.id && ((byId !== null && y.id === byId) || (byClient !== null && y.clientId === byClient)));
      if (method === 'GET') return found ? new HttpReply(200, wireOrder(found)) : err(400, -2013, 'Order does not exist.');
      if (method === 'DELETE') {
        if (!found) return err(400, -2011, 'Unknown order sent.');
        const c = book.cancel(found.id, now);
        return c ? new HttpReply(200, { ...wireOrder(c), origClientOrderId: c.clientId }) : err(400, -2011, 'Unknown order sent.');
      }
    }
    if (method === 'GET' && path === '/api/v3/openOrders') {
      const sym = p.get('symbol');
      return list(book.state.orders.filter((y) => y.status === 'open' && (!sym || `${y.base}${y.quote}` === sym)).map(wireOrder));
    }
    if (method === 'GET' && (path === '/api/v3/allOrders' || path === '/api/v3/myTrades')) {
      const x = symbolOf(p.get('symbol'));
      if (!x) return err(400, -1121, 'Invalid symbol.');
      const start = Number(p.get('startTime') ?? 0);
      if (path === '/api/v3/allOrders') return list(book.state.orders.filter((y) => `${y.base}${y.quote}` === x.id && y.createdAt >= start).map(wireOrder));
      return list(book.state.trades.filter((t) => `${t.base}${t.quote}` === x.id && t.time >= start).map(wireTrade));
    }
    return err(404, -1000, `Unknown endpoint ${method} ${path}`);
  };

  const SIGNED = new Set(['/api/v3/account', '/api/v3/order', '/api/v3/openOrders', '/api/v3/allOrders', '/api/v3/myTrades']);
  const server = await serveFakeVenue(
    {
      authorize: ({ path, headers }) => ({ ok: !SIGNED.has(path) || headers['x-mbx-apikey'] === FAKE_BINANCE_KEY }),
      route: ({ method, path, body, rawQuery }) => {
        const raw = typeof body === 'string' ? body : '';
        const all = [rawQuery, raw].filter(Boolean).join('&');
        const params = new URLSearchParams(all);
        if (SIGNED.has(path)) {
          const sig = params.get('signature');
          const payload = all.replace(/&?signature=[0-9a-f]*/, '');
          if (!sig || !params.get('timestamp') || createHmac('sha256', secret).update(payload).digest('hex') !== sig) return err(400, -1022, 'Signature for this request is not valid.');
        }
        return route(method, path, params);
      },
      unauthorized: err(401, -2015, 'Invalid API-key, IP, or permissions for action.'),
      serverError: new HttpReply(500, '<html><body><h1>500 Internal Server Error</h1></body></html>'),
      save: () => undefined,
      mutates: ({ method, path }) => path === '/api/v3/order' && (method === 'POST' || method === 'DELETE'),
    },
    {},
  );
  return { ...server, book };
}
