import { z } from 'zod';
import { field } from '../config/meta.js';
import { httpUrl } from '../config/url.js';

export const STRUCTURED_OUTPUT = ['json_schema', 'json_object', 'none'] as const;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'an ISO date YYYY-MM-DD');
const budget = (what: string) => field(z.number().int().positive().nullable().default(null), { description: `daily ${what} budget (UTC day); when spent the provider fails with BUDGET_EXHAUSTED (null: unlimited)` });

/**
 * The fields every `providers.<name>` entry has, whatever its kind. Each provider adapter adds
 * its own (src/providers/<kind>/index.ts); the entry schema is the union of them all.
 */
export const providerCommonShape = {
  enabled: field(z.boolean().default(true), { description: 'false keeps the entry but leaves it out of the ensemble and `providers test`' }),
  model: field(z.string().min(1).nullable().default(null), { description: 'model name (required for HTTP kinds; optional for cli presets)' }),
  base_url: field(httpUrl().nullable().default(null), { description: "server URL (null: the kind's default, e.g. http://127.0.0.1:11434 for ollama, https://api.openai.com/v1 for openai)" }),
  api_key: field(z.string().default(''), {
    secret: true,
    description:
      "API key (openai: Bearer token; anthropic: x-api-key; gemini: x-goog-api-key); write `${MY_KEY}` to take it from the environment. Empty with the kind's default URL: OPENAI_API_KEY / ANTHROPIC_API_KEY / GEMINI_API_KEY",
  }),
  weight: field(z.number().min(0).default(1), { description: 'ensemble weight before renormalisation (ensemble.weights overrides it)' }),
  timeout_ms: field(z.number().int().positive().default(120_000), { description: 'per-call timeout; the call is aborted (the process killed for CLIs) when it passes' }),
  local: field(z.boolean().nullable().default(null), {
    description: 'counts toward the ensemble quorum; null: auto (rules: yes; HTTP kinds: yes when base_url is loopback or a private address; cli/command: no)',
  }),
  temperature: field(z.number().min(0).max(2).default(0), { description: 'sampling temperature (0 keeps answers as repeatable as the server allows)' }),
  max_tokens: field(z.number().int().positive().nullable().default(null), { description: 'cap on generated tokens (null: the server default)' }),
  structured_output: field(z.enum(STRUCTURED_OUTPUT).default('json_schema'), {
    description:
      'how JSON is requested first: json_schema (schema-constrained), json_object (any JSON) or none (prompt only); a server that refuses the mode is asked with the next weaker one, kept from then on and shown in the decision metadata',
  }),
  max_reply_bytes: field(
    z
      .number()
      .int()
      .positive()
      .default(1024 * 1024),
    { description: 'largest answer read from the model (HTTP reply body or CLI stdout), in bytes; a longer one is an INVALID_OUTPUT failure' },
  ),
  training_cutoff: field(isoDate.nullable().default(null), { description: 'last date of the model training data; backtests before it can leak the future' }),
  daily_call_budget: budget('call'),
  daily_token_budget: budget('token (prompt + completion)'),
};

/** A configured provider entry as every adapter sees it (its own fields come on top). */
export type ProviderCommon = z.infer<z.ZodObject<typeof providerCommonShape>> & { kind: string };
