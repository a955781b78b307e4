import { z } from 'zod';
import { field, secretString } from '../../config/meta.js';
import { httpUrl } from '../../config/url.js';
import { defineVenue } from '../adapter.js';
import { OandaVenue } from './venue.js';

export const oanda = defineVenue({
  kind: 'oanda',
  assetClasses: ['forex'],
  configSchema: z.strictObject({
    api_key: secretString('OANDA_API_KEY', 'Oanda v20 personal access token'),
    account_id: field(z.string().default(''), { env: 'OANDA_ACCOUNT_ID', description: 'Oanda v20 account id (e.g. 101-004-1234567-001)' }),
    environment: field(z.enum(['practice', 'live']).default('practice'), {
      env: 'OANDA_ENVIRONMENT',
      description: 'practice (api-fxpractice.oanda.com) or live (api-fxtrade.oanda.com)',
    }),
    base_url: field(httpUrl().nullable().default(null), { description: 'override of the API host (tests point it at a local fake); null: by `environment`' }),
    timeout_ms: field(z.number().int().positive().default(10000), { description: 'HTTP timeout per request, in ms' }),
  }),
  create: (o) => new OandaVenue({ token: o.api_key, accountId: o.account_id, environment: o.environment, baseUrl: o.base_url, timeoutMs: o.timeout_ms }),
});
