import type { z } from 'zod';
import type { MarketData, NewsSource } from './port.js';

/**
 * A market data adapter as its folder exports it (`src/data/<kind>/index.ts`): its config
 * section (`data.<kind>`) and its factory. Registered with one line in src/app/registry.ts;
 * `data.source` and `news.source` are assembled from the registry.
 */
export interface DataAdapter<K extends string = string, S extends z.ZodObject = z.ZodObject> {
  kind: K;
  /** The source also serves news sentiment (selectable as `news.source`). */
  news: boolean;
  configSchema: S;
  create(cfg: z.infer<S>): MarketData & Partial<NewsSource>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any adapter, whatever its schema
export type AnyDataAdapter = DataAdapter<string, any>;

export const defineData = <K extends string, S extends z.ZodObject>(a: DataAdapter<K, S>): DataAdapter<K, S> => a;
