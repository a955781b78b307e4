import type { z } from 'zod';
import type { ProviderCommon } from './config.js';
import type { DecisionProvider } from './port.js';

/** Reports a field of the entry that is missing or wrong for this kind. */
export type NeedField = (ok: boolean, field: string, message: string) => void;

/**
 * A decision provider adapter as its folder exports it (`src/providers/<kind>/index.ts`): the
 * entry fields it adds to `providers.<name>` (zod with descriptions), its checks and its factory.
 * Registered with one line in src/app/registry.ts; the entry schema and `kind` are assembled
 * from the registry.
 */
export interface ProviderAdapter<K extends string = string, S extends z.ZodRawShape = z.ZodRawShape> {
  kind: K;
  /** For `config docs`: what this kind talks to. */
  summary: string;
  /** Fields beyond the common ones (src/providers/config.ts); may be empty. */
  configSchema: z.ZodObject<S>;
  /** Server URL when base_url is null (null: not an HTTP server). */
  defaultBaseUrl: string | null;
  /** Where the model runs when `local` is null: on this machine, in a cloud, or as base_url's host says. */
  locality: 'local' | 'remote' | 'by-url';
  /** Environment variable read for an empty api_key, and only with defaultBaseUrl, so a key never goes to another server. */
  apiKeyEnv?: string;
  /** Answers depend only on the context and local files (rules, ml): free, deterministic, never accounted or recorded in cassettes. */
  pure?: boolean;
  /** Cross-field checks of an entry of this kind (e.g. a required model). */
  check?(p: ProviderCommon & z.infer<z.ZodObject<S>>, need: NeedField): void;
  create(name: string, p: ProviderCommon & z.infer<z.ZodObject<S>>): DecisionProvider;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any adapter, whatever its schema
export type AnyProviderAdapter = ProviderAdapter<string, any>;

export const defineProvider = <K extends string, S extends z.ZodRawShape>(a: ProviderAdapter<K, S>): ProviderAdapter<K, S> => a;

/** Check shared by the HTTP kinds: the model is required. */
export const requireModel = (kind: string) => (p: { model: string | null }, need: NeedField) => need(p.model !== null, 'model', `a model name (required for kind ${kind})`);
