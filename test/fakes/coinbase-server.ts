/**
 * A local stand-in for the Coinbase Advanced Trade REST API (https://api.coinbase.com/api/v3/brokerage)
 * serving the documented JSON for one spot portfolio:
 *
 * - GET  /accounts?limit&cursor → {accounts:[{uuid, currency, available_balance:{value,currency}, hold, type, …}], has_next, cursor, size}
 * - POST /orders {client_order_id, product_id, side: BUY|SELL, order_configuration:
 *   {market_market_ioc:{base_size | quote_size}} | {limit_limit_gtc:{base_size, limit_price, post_only}}}
 *   → {success:true, success_response:{order_id, product_id, side, client_order_id}, order_configuration}
 *   → {success:false, error_response:{error, message, error_details, preview_failure_reason}, …}
 *   A client_order_id already used returns the order that has it and creates nothing, as documented
 *   ("If the ID provided is not unique, the order will not be created and the order corresponding
 *   with that ID will be returned instead").
 * - GET  /orders/historical/{order_id} → {order:{…, status, filled_size, average_filled_price, total_fees, …}}
 *   (404 {error:"NOT_FOUND", message:"order with this orderID was not found"})
 * - GET  /orders/historical/batch?order_status&product_ids&start_date&limit&cursor → {orders, has_next, cursor, sequence}
 * - GET  /orders/historical/fills?order_ids&product_ids&start_sequence_timestamp&limit&cursor → {fills, cursor}
 * - POST /orders/batch_cancel {order_ids} → {results:[{success, failure_reason, order_id}]}
 * - GET  /products/{product_id} → {product_id, price, base_increment, quote_increment, base_min_size, …}
 *
 * Authentication is checked as Coinbase does for CDP keys: `Authorization: Bearer <JWT>` signed
 * ES256 with the key's EC private key, `kid` and `sub` the key name, `uri` "METHOD host/path",
 * valid `nbf`/`exp`. (ccxt only strips "https://" when it builds `uri`, so a fake on http:// also
 * accepts the scheme in it.) Anything else is HTTP 401 "Unauthorized".
 *
 * Market orders fill at once at the product price (taker fee), limit orders rest with their
 * funds on hold until `setPrice` trades through them (maker fee). Fees are charged in the quote
 * currency. Requests are recorded (with the JWT's claims) and failure modes applied by
 * fake-venue-http.ts. With `statePath` the book survives the process.
 *
 * Imports only node built-ins and fake-venue-http.ts: test/fakes/launch-fake.mjs
 * transpiles it to run as a separate process.
 */
import { createPublicKey, randomUUID, verify, type KeyObject } from 'node:crypto';
import { D, decText as s, HttpReply, isPositiveDecimal as num, loadState, serveFakeVenue, stateSaver, type Dec, type FakeVenueMode, type RecordedVenueRequest } from './fake-venue-http.js';

export type { FakeVenueMode, RecordedVenueRequest } from './fake-venue-http.js';

type Json = Record<string, unknown>;

interface CbOrder {
  order_id: string;
  client_order_id: string;
  product_id: string;
  side: 'BUY' | 'SELL';
  order_type: 'MARKET' | 'LIMIT';
  order_configuration: Json;
  base_size: string;
  limit_price: string | null;
  status: 'OPEN' | 'FILLED' | 'CANCELLED' | 'FAILED';
  created_time: string;
  filled_size: string;
  filled_value: string;
  total_fees: string;
  hold: string;
  last_fill_time: string | null;
}

interface CbFill {
  entry_id: string;
  trade_id: string;
  order_id: string;
  trade_time: string;
  price: string;
  size: string;
  commission: string;
  product_id: string;
  side: 'BUY' | 'SELL';
  liquidity_indicator: 'MAKER' | 'TAKER';
}

export interface CoinbaseState {
  portfolioId: string;
  /** Available (not on hold) balance by currency. */
  balances: Record<string, string>;
  accountIds: Record<string, string>;
  /** Last trade price by product id (BTC-USD). */
  prices: Record<string, string>;
  orders: CbOrder[];
  fills: CbFill[];
}

export interface FakeCoinbaseOptions {
  /** CDP key name expected in `kid`/`sub` (default organizations/…/apiKeys/…). */
  apiKey?: string;
  /** PEM of the key; the public half verifies the JWTs. Without it any well-formed JWT passes. */
  privateKeyPem?: string;
  balances?: Record<string, string>;
  prices?: Record<string, number>;
  takerFeeRate?: number;
  makerFeeRate?: number;
  statePath?: string;
  mode?: FakeVenueMode;
  slowMs?: number;
  port?: number;
}

export interface FakeCoinbase {
  url: string;
  requests: RecordedVenueRequest[];
  state: CoinbaseState;
  setMode(mode: FakeVenueMode): void;
  /** Moves a product's price, filling resting limit orders it trades through. */
  setPrice(productId: string, price: number): void;
  close(): Promise<void>;
}

export const FAKE_COINBASE_KEY_NAME = 'organizations/0f1e2d3c-fake/apiKeys/9a8b7c6d-fake';

const iso = (ms: number) => new Date(ms).toISOString();
const b64url = (x: string) => Buffer.from(x, 'base64url');

const notFound = (message: string) => new HttpReply(404, { error: 'NOT_FOUND', error_details: message, message });

class CoinbaseBook {
  constructor(
    readonly st: CoinbaseState,
    private readonly fees: { taker: Dec; maker: Dec },
  ) {}

  private bal = (c: string) => new D(this.st.balances[c] ?? '0');
  private add(c: string, d: Dec) {
    this.st.balances[c] = s(this.bal(c).add(d));
    this.st.accountIds[c] ??= randomUUID();
  }
  private holdOf = (c: string) => this.st.orders.filter((o) => o.status === 'OPEN' && (o.side === 'BUY' ? o.product_id.split('-')[1] : o.product_id.split('-')[0]) === c).reduce((a, o) => a.add(o.hold), new D(0));

  accounts(q: URLSearchParams): Json {
    const all = Object.keys(this.st.accountIds).sort();
    const start = Number(q.get('cursor') || 0);
    const limit = Number(q.get('limit') || 49);
    const page = all.slice(start, start + limit);
    const has_next = start + limit < all.length;
    return {
      accounts: page.map((c) => ({
        uuid: this.st.accountIds[c],
        name: `${c} Wallet`,
        currency: c,
        available_balance: { value: s(this.bal(c)), currency: c },
        default: true,
        active: true,
        created_at: '2024-01-01T00:00:00Z',
        updated_at: '2024-01-01T00:00:00Z',
        deleted_at: null,
        type: ['USD', 'EUR', 'GBP'].includes(c) ? 'ACCOUNT_TYPE_FIAT' : 'ACCOUNT_TYPE_CRYPTO',
        ready: true,
        hold: { value: s(this.holdOf(c)), currency: c },
        retail_portfolio_id: this.st.portfolioId,
        platform: 'ACCOUNT_PLATFORM_CONSUMER',
      })),
      has_next,
      cursor: has_next ? String(start + limit) : '',
      size: page.length,
    };
  }

  product(id: string): HttpReply {
    const price = this.st.prices[id];
    if (price === undefined) return notFound('ProductID is invalid');
    const [base, quote] = id.split('-');
    return new HttpReply(200, {
      product_id: id,
      price,
      price_percentage_change_24h: '0',
      volume_24h: '1000',
      volume_percentage_change_24h: '0',
      base_increment: '0.00000001',
      quote_increment: '0.01',
      quote_min_size: '1',
      quote_max_size: '150000000',
      base_min_size: '0.00000001',
      base_max_size: '3400',
      base_name: base,
      quote_name: quote,
      watched: false,
      is_disabled: false,
      new: false,
      status: 'online',
      cancel_only: false,
      limit_only: false,
      post_only: false,
      trading_disabled: false,
      auction_mode: false,
      product_type: 'SPOT',
      quote_currency_id: quote,
      base_currency_id: base,
      mid_market_price: price,
      base_display_symbol: base,
      quote_display_symbol: quote,
      view_only: false,
      price_increment: '0.01',
      display_name: id,
      product_venue: 'CBE',
    });
  }

  orderJson(o: CbOrder): Json {
    const filled = new D(o.filled_size);
    const avg = filled.isZero() ? '0' : s(new D(o.filled_value).div(filled));
    const fees = new D(o.total_fees);
    return {
      order_id: o.order_id,
      product_id: o.product_id,
      user_id: 'fake-user',
      order_configuration: o.order_configuration,
      side: o.side,
      client_order_id: o.client_order_id,
      status: o.status,
      time_in_force: o.order_type === 'MARKET' ? 'IMMEDIATE_OR_CANCEL' : 'GOOD_UNTIL_CANCELLED',
      created_time: o.created_time,
      completion_percentage: s(filled.div(o.base_size).mul(100)),
      filled_size: o.filled_size,
      average_filled_price: avg,
      fee: '',
      number_of_fills: String(this.st.fills.filter((f) => f.order_id === o.order_id).length),
      filled_value: o.filled_value,
      pending_cancel: false,
      size_in_quote: false,
      total_fees: o.total_fees,
      size_inclusive_of_fees: false,
      total_value_after_fees: s(o.side === 'BUY' ? new D(o.filled_value).add(fees) : new D(o.filled_value).sub(fees)),
      trigger_status: 'INVALID_ORDER_TYPE',
      order_type: o.order_type,
      reject_reason: '',
      settled: o.status === 'FILLED',
      product_type: 'SPOT',
      reject_message: '',
      cancel_message: o.status === 'CANCELLED' ? 'User requested cancel' : '',
      order_placement_source: 'RETAIL_ADVANCED',
      outstanding_hold_amount: o.hold,
      is_liquidation: false,
      last_fill_time: o.last_fill_time,
      edit_history: [],
      leverage: '',
      margin_type: 'UNKNOWN_MARGIN_TYPE',
      retail_portfolio_id: this.st.portfolioId,
    };
  }

  private failure(body: Json, error: string, message: string, preview?: string): HttpReply {
    return new HttpReply(200, {
      success: false,
      failure_reason: 'UNKNOWN_FAILURE_REASON',
      order_id: '',
      error_response: { error, message, error_details: '', ...(preview ? { preview_failure_reason: preview } : {}), new_order_failure_reason: error },
      order_configuration: body.order_configuration ?? null,
    });
  }

  private accepted(o: CbOrder): HttpReply {
    return new HttpReply(200, {
      success: true,
      failure_reason: 'UNKNOWN_FAILURE_REASON',
      order_id: o.order_id,
      success_response: { order_id: o.order_id, product_id: o.product_id, side: o.side, client_order_id: o.client_order_id },
      order_configuration: o.order_configuration,
    });
  }

  createOrder(raw: unknown): HttpReply {
    const body = (raw ?? {}) as Json;
    const cid = String(body.client_order_id ?? '');
    if (!cid) return new HttpReply(400, { error: 'INVALID_ARGUMENT', error_details: 'client_order_id is required', message: 'client_order_id is required' });
    const existing = this.st.orders.find((o) => o.client_order_id === cid);
    if (existing) return this.accepted(existing);
    const productId = String(body.product_id ?? '');
    const price = this.st.prices[productId];
    if (price === undefined) return this.failure(body, 'INVALID_PRODUCT_ID', 'Invalid product_id');
    const side = body.side;
    if (side !== 'BUY' && side !== 'SELL') return this.failure(body, 'INVALID_SIDE', 'Invalid side');
    const cfg = (body.order_configuration ?? {}) as Json;
    const market = cfg.market_market_ioc as Json | undefined;
    const limit = cfg.limit_limit_gtc as Json | undefined;
    if (!market && !limit) return this.failure(body, 'UNSUPPORTED_ORDER_CONFIGURATION', 'order configuration is not supported');
    const [base, quote] = productId.split('-');
    const limitPrice = limit ? String(limit.limit_price) : null;
    let baseSize: Dec;
    if (market && num(market.quote_size)) baseSize = new D(String(market.quote_size)).div(price).toDecimalPlaces(8, D.ROUND_DOWN);
    else if (num((market ?? limit)!.base_size)) baseSize = new D(String((market ?? limit)!.base_size));
    else return this.failure(body, 'INVALID_SIZE', 'base_size is required', 'PREVIEW_INVALID_BASE_SIZE');
    if (baseSize.decimalPlaces() > 8) return this.failure(body, 'INVALID_SIZE_PRECISION', 'Too many decimals in order amount', 'PREVIEW_INVALID_SIZE_PRECISION');
    if (limit && !num(limitPrice)) return this.failure(body, 'INVALID_LIMIT_PRICE', 'Invalid limit price', 'PREVIEW_INVALID_LIMIT_PRICE');
    const px = limitPrice ? new D(limitPrice) : new D(price);
    const rate = limit ? this.fees.maker : this.fees.taker;
    const needQuote = baseSize.mul(px).mul(rate.add(1));
    if (side === 'BUY' ? this.bal(quote).lt(needQuote) : this.bal(base).lt(baseSize)) {
      return this.failure(body, 'INSUFFICIENT_FUND', 'Insufficient balance in source account', 'PREVIEW_INSUFFICIENT_FUND');
    }
    const o: CbOrder = {
      order_id: randomUUID(),
      client_order_id: cid,
      product_id: productId,
      side,
      order_type: market ? 'MARKET' : 'LIMIT',
      order_configuration: cfg,
      base_size: s(baseSize),
      limit_price: limitPrice,
      status: 'OPEN',
      created_time: iso(Date.now()),
      filled_size: '0',
      filled_value: '0',
      total_fees: '0',
      hold: '0',
      last_fill_time: null,
    };
    this.st.orders.push(o);
    const crosses = side === 'BUY' ? new D(price).lte(px) : new D(price).gte(px);
    if (market || crosses) this.fill(o, new D(price), 'TAKER');
    else {
      o.hold = s(side === 'BUY' ? needQuote : baseSize);
      this.add(side === 'BUY' ? quote : base, new D(o.hold).neg());
    }
    return this.accepted(o);
  }

  private fill(o: CbOrder, price: Dec, liquidity: 'MAKER' | 'TAKER') {
    const [base, quote] = o.product_id.split('-');
    const size = new D(o.base_size).sub(o.filled_size);
    const value = size.mul(price);
    const fee = value.mul(liquidity === 'MAKER' ? this.fees.maker : this.fees.taker);
    // A resting order's hold goes back before the fill settles.
    if (o.side === 'BUY') this.add(quote, new D(o.hold));
    else this.add(base, new D(o.hold));
    o.hold = '0';
    if (o.side === 'BUY') {
      this.add(quote, value.add(fee).neg());
      this.add(base, size);
    } else {
      this.add(base, size.neg());
      this.add(quote, value.sub(fee));
    }
    const now = iso(Date.now());
    this.st.fills.push({
      entry_id: randomUUID(),
      trade_id: randomUUID(),
      order_id: o.order_id,
      trade_time: now,
      price: s(price),
      size: s(size),
      commission: s(fee),
      product_id: o.product_id,
      side: o.side,
      liquidity_indicator: liquidity,
    });
    o.filled_size = o.base_size;
    o.filled_value = s(new D(o.filled_value).add(value));
    o.total_fees = s(new D(o.total_fees).add(fee));
    o.status = 'FILLED';
    o.last_fill_time = now;
  }

  setPrice(productId: string, price: number) {
    this.st.prices[productId] = String(price);
    const p = new D(String(price));
    for (const o of this.st.orders) {
      if (o.status !== 'OPEN' || o.product_id !== productId || !o.limit_price) continue;
      if (o.side === 'BUY' ? p.lte(o.limit_price) : p.gte(o.limit_price)) this.fill(o, new D(o.limit_price), 'MAKER');
    }
  }

  cancel(raw: unknown): HttpReply {
    const ids = ((raw ?? {}) as Json).order_ids;
    if (!Array.isArray(ids)) return new HttpReply(400, { error: 'INVALID_ARGUMENT', error_details: 'order_ids is required', message: 'order_ids is required' });
    const results = ids.map((id) => {
      const o = this.st.orders.find((x) => x.order_id === id);
      if (!o) return { success: false, failure_reason: 'UNKNOWN_CANCEL_ORDER', order_id: id };
      if (o.status !== 'OPEN') return { success: false, failure_reason: 'INVALID_CANCEL_REQUEST', order_id: id };
      const [base, quote] = o.product_id.split('-');
      this.add(o.side === 'BUY' ? quote : base, new D(o.hold));
      o.hold = '0';
      o.status = 'CANCELLED';
      return { success: true, failure_reason: 'UNKNOWN_CANCEL_FAILURE_REASON', order_id: id };
    });
    return new HttpReply(200, { results });
  }

  /** Newest first, paged by an opaque offset cursor, as the venue lists them. */
  private page<T>(items: T[], q: URLSearchParams, key: string, hasNext: boolean): Json {
    const start = Number(q.get('cursor') || 0);
    const limit = Math.min(Number(q.get('limit') || 100), 1000);
    const page = items.slice(start, start + limit);
    const more = start + limit < items.length;
    return { [key]: page, cursor: more ? String(start + limit) : '', ...(hasNext ? { has_next: more, sequence: '0' } : {}) };
  }

  listOrders(q: URLSearchParams): HttpReply {
    const statuses = q.getAll('order_status');
    const products = q.getAll('product_ids');
    const start = q.get('start_date') ? Date.parse(q.get('start_date')!) : 0;
    const orders = this.st.orders
      .filter((o) => (!statuses.length || statuses.includes(o.status)) && (!products.length || products.includes(o.product_id)) && Date.parse(o.created_time) >= start)
      .slice()
      .reverse()
      .map((o) => this.orderJson(o));
    return new HttpReply(200, this.page(orders, q, 'orders', true));
  }

  listFills(q: URLSearchParams): HttpReply {
    const ids = q.getAll('order_ids');
    const products = q.getAll('product_ids');
    const start = q.get('start_sequence_timestamp') ? Date.parse(q.get('start_sequence_timestamp')!) : 0;
    const fills = this.st.fills
      .filter((f) => (!ids.length || ids.includes(f.order_id)) && (!products.length || products.includes(f.product_id)) && Date.parse(f.trade_time) >= start)
      .slice()
      .reverse()
      .map((f) => ({ ...f, trade_type: 'FILL', sequence_timestamp: f.trade_time, size_in_quote: false, user_id: 'fake-user', retail_portfolio_id: this.st.portfolioId }));
    return new HttpReply(200, this.page(fills, q, 'fills', false));
  }
}

function checkJwt(auth: string | undefined, key: KeyObject | null, keyName: string, method: string, host: string, path: string): { ok: boolean; claims?: Json } {
  const m = /^Bearer ([\w-]+)\.([\w-]+)\.([\w-]+)$/.exec(auth ?? '');
  if (!m) return { ok: false };
  let header: Json;
  let claims: Json;
  try {
    header = JSON.parse(b64url(m[1]).toString('utf8')) as Json;
    claims = JSON.parse(b64url(m[2]).toString('utf8')) as Json;
  } catch {
    return { ok: false };
  }
  const now = Math.floor(Date.now() / 1000);
  const uri = String(claims.uri ?? (Array.isArray(claims.uris) ? claims.uris[0] : '')).replace(/^(\w+) https?:\/\//, '$1 ');
  const ok =
    header.alg === 'ES256' &&
    header.kid === keyName &&
    claims.sub === keyName &&
    Number(claims.nbf) <= now + 5 &&
    Number(claims.exp) >= now &&
    uri === `${method} ${host}${path}` &&
    (!key || verify('sha256', Buffer.from(`${m[1]}.${m[2]}`), { key, dsaEncoding: 'ieee-p1363' }, b64url(m[3])));
  return { ok, claims };
}

export async function startFakeCoinbase(opts: FakeCoinbaseOptions = {}): Promise<FakeCoinbase> {
  const keyName = opts.apiKey ?? FAKE_COINBASE_KEY_NAME;
  const publicKey = opts.privateKeyPem ? createPublicKey(opts.privateKeyPem) : null;
  const state = loadState<CoinbaseState>(opts.statePath, () => {
    const balances = opts.balances ?? { USD: '100000', BTC: '0', ETH: '0' };
    return {
      portfolioId: randomUUID(),
      balances,
      accountIds: Object.fromEntries(Object.keys(balances).map((c) => [c, randomUUID()])),
      prices: Object.fromEntries(Object.entries(opts.prices ?? { 'BTC-USD': 40000, 'ETH-USD': 2500 }).map(([k, v]) => [k, String(v)])),
      orders: [],
      fills: [],
    };
  });
  const book = new CoinbaseBook(state, { taker: new D(String(opts.takerFeeRate ?? 0.006)), maker: new D(String(opts.makerFeeRate ?? 0.004)) });
  const save = stateSaver(opts.statePath, state);
  save();
  const P = '/api/v3/brokerage';

  const route = ({ method, path, query: q, body }: { method: string; path: string; query: URLSearchParams; body: unknown }): HttpReply => {
    if (!path.startsWith(`${P}/`)) return new HttpReply(404, { error: 'NOT_FOUND', message: 'Not Found' });
    const rest = path.slice(P.length);
    if (method === 'GET' && rest === '/accounts') return new HttpReply(200, book.accounts(q));
    if (method === 'POST' && rest === '/orders') return book.createOrder(body);
    if (method === 'POST' && rest === '/orders/batch_cancel') return book.cancel(body);
    if (method === 'GET' && rest === '/orders/historical/batch') return book.listOrders(q);
    if (method === 'GET' && rest === '/orders/historical/fills') return book.listFills(q);
    let m = /^\/orders\/historical\/([^/]+)$/.exec(rest);
    if (method === 'GET' && m) {
      const o = state.orders.find((x) => x.order_id === decodeURIComponent(m![1]));
      return o ? new HttpReply(200, { order: book.orderJson(o) }) : notFound('order with this orderID was not found');
    }
    m = /^\/products\/([^/]+)$/.exec(rest);
    if (method === 'GET' && m) return book.product(decodeURIComponent(m[1]));
    return new HttpReply(404, { error: 'NOT_FOUND', message: `no route ${method} ${path}` });
  };

  const server = await serveFakeVenue(
    {
      authorize: ({ method, path, host, headers }) => checkJwt(headers.authorization, publicKey, keyName, method, host, path),
      route,
      unauthorized: new HttpReply(401, 'Unauthorized\n'),
      serverError: new HttpReply(500, { error: 'INTERNAL', error_details: 'internal error', message: 'internal error' }),
      save,
    },
    opts,
  );
  return {
    ...server,
    state,
    setPrice: (productId, price) => {
      book.setPrice(productId, price);
      save();
    },
  };
}
