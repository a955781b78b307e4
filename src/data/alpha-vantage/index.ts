import { z } from 'zod';
import { field, secretString } from '../../config/meta.js';
import { httpUrl } from '../../config/url.js';
import { defineData } from '../adapter.js';
import { AlphaVantageMarketData } from './adapter.js';

export { AlphaVantageMarketData, DEFAULT_CANDLE_LIMIT, newsTicker } from './adapter.js';
export { AlphaVantageClient, ALPHA_VANTAGE_KEY_ENV, classifyReply, type AlphaVantageOptions } from './client.js';

export const alphaVantage = defineData({
  kind: 'alpha_vantage',
  news: true,
  configSchema: z.strictObject({
    api_key: secretString('ALPHA_VANTAGE_API_KEY', 'Alpha Vantage API key'),
    base_url: field(httpUrl().default('https://www.alphavantage.co'), { description: 'Alpha Vantage endpoint' }),
    requests_per_minute: field(z.number().positive().default(5), { description: 'token-bucket refill rate' }),
    cache_ttl_seconds: field(z.number().min(0).default(120), { description: 'TTL of cached responses' }),
    timeout_ms: field(z.number().int().positive().default(15000), { description: 'HTTP timeout per request' }),
  }),
  create: (c) =>
    new AlphaVantageMarketData({ apiKey: c.api_key, baseUrl: c.base_url, requestsPerMinute: c.requests_per_minute, cacheTtlMs: c.cache_ttl_seconds * 1000, timeoutMs: c.timeout_ms }),
});
