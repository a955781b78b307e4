import { z } from 'zod';
import { field, secretString } from '../../config/meta.js';
import { httpUrl } from '../../config/url.js';
import { FfeError } from '../../core/errors.js';
import { defineVenue } from '../adapter.js';
import { CcxtSpotVenue } from '../ccxt/venue.js';

/** Binance spot through the shared ccxt venue: REST /api/v3 (X-MBX-APIKEY + HMAC-SHA256 signature). */
export const binance = defineVenue({
  kind: 'binance',
  assetClasses: ['crypto'],
  configSchema: z.strictObject({
    api_key: secretString('BINANCE_API_KEY', 'Binance API key'),
    api_secret: secretString('BINANCE_API_SECRET', 'Binance API secret (HMAC)'),
    base_url: field(httpUrl().nullable().default(null), { description: 'override of the API host (e.g. https://testnet.binance.vision; tests point it at a local fake); null: https://api.binance.com' }),
    timeout_ms: field(z.number().int().positive().default(10000), { description: 'HTTP timeout per request, in ms' }),
    quote_currency: field(z.string().min(1).default('USDT'), { description: 'currency that holdings are valued in and traded against' }),
    pairs: field(z.array(z.string().min(1)).default(['BTCUSDT', 'ETHUSDT']), {
      description: 'pairs whose orders and trades are looked through (Binance lists them only per market); markets of held currencies are always included',
    }),
    order_lookup_days: field(z.number().int().positive().default(30), { description: 'how far back a lookup of an order by client order id searches' }),
  }),
  create: (c, d) =>
    binanceVenue({ apiKey: c.api_key, secret: c.api_secret, baseUrl: c.base_url, timeoutMs: c.timeout_ms, quoteCurrency: c.quote_currency, pairs: c.pairs, orderLookupDays: c.order_lookup_days, now: d.now }),
});

export function binanceVenue(o: {
  apiKey: string;
  secret: string;
  baseUrl?: string | null;
  timeoutMs?: number;
  quoteCurrency?: string;
  pairs?: string[];
  orderLookupDays?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  rateLimit?: boolean;
}): CcxtSpotVenue {
  if (!o.apiKey || !o.secret) throw new FfeError('config', 'BINANCE_KEY_MISSING', 'Binance needs an API key: set BINANCE_API_KEY and BINANCE_API_SECRET (venues.binance.api_key / api_secret)');
  return new CcxtSpotVenue({
    ...o,
    exchangeId: 'binance',
    name: 'binance',
    label: 'Binance',
    keyHint: 'BINANCE_API_KEY / BINANCE_API_SECRET',
    quoteCurrency: o.quoteCurrency ?? 'USDT',
    // newClientOrderId: up to 36 of [.A-Za-z0-9:/_-].
    maxClientIdLength: 36,
    orderNeedsSymbol: true,
    listsPerSymbol: true,
    exchangeOptions: {
      // Spot only: no futures market lists, no wallet (sapi) currency list, open orders of all markets at once.
      fetchMarkets: { types: ['spot'] },
      fetchCurrencies: false,
      fetchMargins: false,
      fetchOpenOrders: { warnWithoutSymbol: false },
      warnOnFetchOpenOrdersWithoutSymbol: false,
      adjustForTimeDifference: false,
    },
    classify: [
      // -2014 key format, -2015 key/IP/permissions, -1022 signature: ccxt files -2015 under OperationRejected for api.binance.com.
      { pattern: /"code":\s*-(2014|2015|1022)\b/, code: 'VENUE_AUTH' },
      { pattern: /"code":\s*-2010\b.*insufficient balance/i, code: 'INSUFFICIENT_FUNDS' },
    ],
    // ccxt picks Binance's spot error table by the production host name; behind another URL (testnet
    // proxy, a local fake) it would fall back to the generic table, so the spot one is merged in.
    prepare: (ex) => {
      const t = ex.exceptions as { exact?: Record<string, unknown>; broad?: Record<string, unknown>; spot?: { exact?: Record<string, unknown>; broad?: Record<string, unknown> } };
      if (t.spot) Object.assign(t, { exact: { ...t.exact, ...t.spot.exact }, broad: { ...t.broad, ...t.spot.broad } });
    },
  });
}
