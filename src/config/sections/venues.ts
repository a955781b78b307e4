import { z } from 'zod';
import { field, secretString } from '../meta.js';

const timeout = (ms: number) => field(z.number().int().positive().default(ms), { description: 'HTTP timeout per request, in ms' });

/**
 * Real venues. Paper settings live in `paper_trading`. Live mode routes each asset class to the
 * venue named in `routing`; a venue named there without keys is a configuration error.
 */
export const venuesSection = z.strictObject({
  coinbase: z
    .strictObject({
      api_key: secretString('COINBASE_API_KEY', 'Coinbase CDP API key name (organizations/…/apiKeys/…)'),
      api_secret: secretString('COINBASE_API_SECRET', 'Coinbase CDP API private key (EC, PEM)'),
      sandbox: field(z.boolean().default(true), {
        description: 'use the Advanced Trade static sandbox (https://api-sandbox.coinbase.com) instead of the real exchange',
      }),
      base_url: field(z.url().nullable().default(null), { description: 'override of the API host (tests point it at a local fake); null: by `sandbox`' }),
      timeout_ms: timeout(10000),
      order_lookup_days: field(z.number().int().positive().default(30), {
        description: 'how far back a lookup of an order by client order id searches (Coinbase cannot filter by it)',
      }),
      quote_currency: field(z.string().min(1).default('USD'), { description: 'currency that holdings are valued in and traded against' }),
    })
    .prefault({}),
  oanda: z
    .strictObject({
      api_key: secretString('OANDA_API_KEY', 'Oanda v20 personal access token'),
      account_id: field(z.string().default(''), { env: 'OANDA_ACCOUNT_ID', description: 'Oanda v20 account id (e.g. 101-004-1234567-001)' }),
      environment: field(z.enum(['practice', 'live']).default('practice'), {
        env: 'OANDA_ENVIRONMENT',
        description: 'practice (api-fxpractice.oanda.com) or live (api-fxtrade.oanda.com)',
      }),
      base_url: field(z.url().nullable().default(null), { description: 'override of the API host (tests point it at a local fake); null: by `environment`' }),
      timeout_ms: timeout(10000),
    })
    .prefault({}),
  routing: z
    .strictObject({
      crypto: field(z.enum(['paper', 'coinbase']).default('paper'), { description: 'venue for crypto pairs in live mode' }),
      forex: field(z.enum(['paper', 'oanda']).default('paper'), { description: 'venue for forex pairs in live mode' }),
      stock: field(z.enum(['paper']).default('paper'), { description: 'venue for stocks in live mode (no live stock venue yet)' }),
    })
    .prefault({}),
});
