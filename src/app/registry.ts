import type { Config } from '../config/schema.js';
import { AlphaVantageMarketData } from '../data/alpha-vantage/adapter.js';
import { BundledMarketData } from '../data/bundled/adapter.js';
import type { MarketData, NewsSource } from '../data/port.js';
import type { DecisionProvider } from '../providers/port.js';
import { RulesProvider } from '../providers/rules/rules-provider.js';

/**
 * Adapter registration: adding a data source, provider kind or venue is one folder plus one
 * line here. Only the composition root reads this file.
 */
export const dataSources: Record<Config['data']['source'], (cfg: Config) => MarketData & Partial<NewsSource>> = {
  bundled: (cfg) => new BundledMarketData(cfg.data.bundled_dir ?? undefined),
  alpha_vantage: (cfg) =>
    new AlphaVantageMarketData({
      apiKey: cfg.data.alpha_vantage.api_key,
      baseUrl: cfg.data.alpha_vantage.base_url,
      requestsPerMinute: cfg.data.alpha_vantage.requests_per_minute,
      cacheTtlMs: cfg.data.alpha_vantage.cache_ttl_seconds * 1000,
      timeoutMs: cfg.data.alpha_vantage.timeout_ms,
    }),
};

export const providerKinds: Record<string, (name: string, cfg: Config) => DecisionProvider> = {
  rules: (name) => new RulesProvider(name),
};
