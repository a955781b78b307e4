import type { Config } from '../config/schema.js';
import type { AnyDataAdapter } from '../data/adapter.js';
import type { MarketData, NewsSource } from '../data/port.js';
import { dataAdapters } from './registry.js';

const adapter = (kind: string): AnyDataAdapter => dataAdapters.find((a) => a.kind === kind)!;

/** The configured market data source (`data.source`), built from its own section `data.<kind>`. */
export function buildMarketData(cfg: Config): MarketData & Partial<NewsSource> {
  const a = adapter(cfg.data.source);
  return a.create(cfg.data[a.kind as keyof Config['data']]);
}

/** A news-serving data source by kind (`news.source`), built from its data section. */
export function buildNewsSource(cfg: Config, kind: Exclude<Config['news']['source'], 'none'>): NewsSource {
  const a = adapter(kind);
  return a.create(cfg.data[a.kind as keyof Config['data']]) as MarketData & NewsSource;
}
