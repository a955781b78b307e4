import { z } from 'zod';
import { FfeError } from '../../core/errors.js';
import { field, secretString } from '../../config/meta.js';
import { httpUrl } from '../../config/url.js';
import { defineVenue } from '../adapter.js';
import { CcxtSpotVenue } from '../ccxt/venue.js';

/** Kraken spot through the shared ccxt venue: REST /0/public and /0/private (API-Key + API-Sign). */
export const kraken = defineVenue({
  kind: 'kraken',
  assetClasses: ['crypto'],
  configSchema: z.strictObject({
    api_key: secretString('KRAKEN_API_KEY', 'Kraken API key'),
    api_secret: secretString('KRAKEN_API_SECRET', 'Kraken API private key (base64)'),
    base_url: field(httpUrl().nullable().default(null), { description: 'override of the API host (tests point it at a local fake); null: https://api.kraken.com' }),
    timeout_ms: field(z.number().int().positive().default(10000), { description: 'HTTP timeout per request, in ms' }),
    quote_currency: field(z.string().min(1).default('USD'), { description: 'currency that holdings are valued in and traded against' }),
    order_lookup_days: field(z.number().int().positive().default(30), { description: 'how far back a lookup of an order by client order id searches' }),
  }),
  create: (c, d) => krakenVenue({ apiKey: c.api_key, secret: c.api_secret, baseUrl: c.base_url, timeoutMs: c.timeout_ms, quoteCurrency: c.quote_currency, orderLookupDays: c.order_lookup_days, now: d.now }),
});

export function krakenVenue(o: {
  apiKey: string;
  secret: string;
  baseUrl?: string | null;
  timeoutMs?: number;
  quoteCurrency?: string;
  orderLookupDays?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  rateLimit?: boolean;
}): CcxtSpotVenue {
  if (!o.apiKey || !o.secret) throw new FfeError('config', 'KRAKEN_KEY_MISSING', 'Kraken needs an API key: set KRAKEN_API_KEY and KRAKEN_API_SECRET (venues.kraken.api_key / api_secret)');
  return new CcxtSpotVenue({
    ...o,
    exchangeId: 'kraken',
    name: 'kraken',
    label: 'Kraken',
    keyHint: 'KRAKEN_API_KEY / KRAKEN_API_SECRET',
    quoteCurrency: o.quoteCurrency ?? 'USD',
    // Kraken takes free text of up to 18 characters (or a UUID) as cl_ord_id.
    maxClientIdLength: 18,
    orderNeedsSymbol: false,
    listsPerSymbol: false,
    exchangeOptions: { adjustForTimeDifference: false },
  });
}
