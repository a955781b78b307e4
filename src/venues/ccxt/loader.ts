/** The members of a ccxt exchange instance that our venues touch (ccxt's own types are not loaded eagerly). */
export interface CcxtExchange {
  id: string;
  urls: { api: Record<string, unknown> };
  has: Record<string, unknown>;
  markets: Record<string, CcxtMarket> | undefined;
  options: Record<string, unknown>;
  handleErrors: (...a: unknown[]) => unknown;
  loadMarkets(): Promise<Record<string, CcxtMarket>>;
  marketsLoading?: unknown;
  amountToPrecision(symbol: string, amount: string): string;
  priceToPrecision(symbol: string, price: string): string;
  [member: string]: unknown;
}

export interface CcxtMarket {
  id: string;
  symbol: string;
  base: string;
  quote: string;
  spot?: boolean;
  active?: boolean | null;
}

export interface CcxtModule {
  [exchangeId: string]: unknown;
  BaseError: new (...a: never[]) => Error;
  ExchangeError: new (...a: never[]) => Error;
  RequestTimeout: new (...a: never[]) => Error;
  NetworkError: new (...a: never[]) => Error;
  AuthenticationError: new (...a: never[]) => Error;
  PermissionDenied: new (...a: never[]) => Error;
  AccountSuspended: new (...a: never[]) => Error;
  InsufficientFunds: new (...a: never[]) => Error;
  InvalidOrder: new (...a: never[]) => Error;
  OrderNotFound: new (...a: never[]) => Error;
  BadSymbol: new (...a: never[]) => Error;
  RateLimitExceeded: new (...a: never[]) => Error;
  DDoSProtection: new (...a: never[]) => Error;
}

let ccxtModule: Promise<CcxtModule> | null = null;
// ccxt is large (~1.5 s to load): only a configured ccxt venue pays for it, once per process.
export const loadCcxt = (): Promise<CcxtModule> => (ccxtModule ??= import('ccxt') as unknown as Promise<CcxtModule>);

export interface ExchangeSettings {
  apiKey: string;
  secret: string;
  timeoutMs: number;
  /**
   * Replaces the scheme and host of every `urls.api` entry, keeping each path (ccxt's documented
   * `urls.api` override): tests point a venue at a loopback fake, users at a proxy or testnet.
   */
  baseUrl?: string | null;
  /** ccxt `options` of the exchange (e.g. which market types to load). */
  options?: Record<string, unknown>;
  /** ccxt's client-side request spacing (default on). */
  rateLimit?: boolean;
}

const rehost = (v: unknown, base: string): unknown => {
  if (typeof v === 'string') return v.replace(/^https?:\/\/[^/]+/, base);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rehost(x, base)]));
  return v;
};

/** A ccxt exchange instance by id, with our timeout, rate limiting and URL override. */
export async function createExchange(exchangeId: string, s: ExchangeSettings): Promise<{ ex: CcxtExchange; ccxt: CcxtModule }> {
  const ccxt = await loadCcxt();
  const Ctor = ccxt[exchangeId] as (new (config: Record<string, unknown>) => CcxtExchange) | undefined;
  if (typeof Ctor !== 'function') throw new Error(`ccxt has no exchange "${exchangeId}"`);
  const ex = new Ctor({ apiKey: s.apiKey, secret: s.secret, timeout: s.timeoutMs, enableRateLimit: s.rateLimit ?? true, options: s.options ?? {} });
  if (s.baseUrl) ex.urls.api = rehost(ex.urls.api, s.baseUrl.replace(/\/+$/, '')) as Record<string, unknown>;
  return { ex, ccxt };
}
