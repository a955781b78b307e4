import { z } from 'zod';
import { field, secretString } from '../../config/meta.js';
import { httpUrl } from '../../config/url.js';
import { defineVenue } from '../adapter.js';
import { CoinbaseVenue } from './venue.js';

export const coinbase = defineVenue({
  kind: 'coinbase',
  assetClasses: ['crypto'],
  configSchema: z.strictObject({
    api_key: secretString('COINBASE_API_KEY', 'Coinbase CDP API key name (organizations/…/apiKeys/…)'),
    api_secret: secretString('COINBASE_API_SECRET', 'Coinbase CDP API private key (EC, PEM)'),
    sandbox: field(z.boolean().default(true), {
      description: 'use the Advanced Trade static sandbox (https://api-sandbox.coinbase.com) instead of the real exchange',
    }),
    base_url: field(httpUrl().nullable().default(null), { description: 'override of the API host (tests point it at a local fake); null: by `sandbox`' }),
    timeout_ms: field(z.number().int().positive().default(10000), { description: 'HTTP timeout per request, in ms' }),
    order_lookup_days: field(z.number().int().positive().default(30), {
      description: 'how far back a lookup of an order by client order id searches (Coinbase cannot filter by it)',
    }),
    quote_currency: field(z.string().min(1).default('USD'), { description: 'currency that holdings are valued in and traded against' }),
  }),
  // ccxt loads on first use.
  create: (c, d) =>
    new CoinbaseVenue({
      apiKey: c.api_key,
      apiSecret: c.api_secret,
      sandbox: c.sandbox,
      baseUrl: c.base_url,
      timeoutMs: c.timeout_ms,
      orderLookupDays: c.order_lookup_days,
      quoteCurrency: c.quote_currency,
      now: d.now,
    }),
});
