import type { Config } from '../config/schema.js';
import { AlphaVantageMarketData } from '../data/alpha-vantage/adapter.js';
import { BundledMarketData } from '../data/bundled/adapter.js';
import type { MarketData, NewsSource } from '../data/port.js';
import type { DecisionProvider } from '../providers/port.js';
import { RulesProvider } from '../providers/rules/rules-provider.js';
import type { Venue } from '../venues/port.js';
import { coinbaseVenue, oandaVenue, paperVenue, unifiedVenue, type VenueDeps } from './venue-factories.js';
import { commandProvider } from '../providers/cli/cli-provider.js';
import { ollamaProvider } from '../providers/ollama/ollama-provider.js';
import { openAiProvider } from '../providers/openai/openai-provider.js';

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
  ollama: (name, cfg) => ollamaProvider(name, cfg.providers[name]),
  openai: (name, cfg) => openAiProvider(name, cfg.providers[name]),
  cli: (name, cfg) => commandProvider(name, cfg.providers[name]),
  command: (name, cfg) => commandProvider(name, cfg.providers[name]),
};

export const newsSources: Record<Exclude<Config['news']['source'], 'none'>, (cfg: Config) => NewsSource> = {
  alpha_vantage: (cfg) => dataSources.alpha_vantage(cfg) as MarketData & NewsSource,
};

export const venues: Record<'paper' | 'oanda' | 'coinbase' | 'unified', (cfg: Config, deps: VenueDeps) => Venue> = {
  paper: paperVenue,
  oanda: oandaVenue,
  coinbase: coinbaseVenue,
  unified: unifiedVenue,
};
