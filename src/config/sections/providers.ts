import { z } from 'zod';
import { field, fraction } from '../meta.js';

export const PROVIDER_KINDS = ['rules', 'ollama', 'openai', 'cli', 'command'] as const;
export const CLI_PRESETS = ['codex', 'copilot', 'qwen', 'gemini'] as const;
export const STRUCTURED_OUTPUT = ['json_schema', 'json_object', 'none'] as const;
export const CASSETTE_MODES = ['off', 'record', 'replay', 'strict'] as const;
/** Names the CLI and the engine give a meaning of their own. */
export const RESERVED_PROVIDER_NAMES = ['ensemble'] as const;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'an ISO date YYYY-MM-DD');
const budget = (what: string) => field(z.number().int().positive().nullable().default(null), { description: `daily ${what} budget (UTC day); when spent the provider fails with BUDGET_EXHAUSTED (null: unlimited)` });

export const providerInstanceSchema = z
  .strictObject({
    kind: field(z.enum(PROVIDER_KINDS), { description: 'adapter: rules, ollama (/api/chat), openai (any OpenAI-compatible /v1/chat/completions), cli (assistant CLI preset) or command (any executable)' }),
    enabled: field(z.boolean().default(true), { description: 'false keeps the entry but leaves it out of the ensemble and `providers test`' }),
    model: field(z.string().min(1).nullable().default(null), { description: 'model name (required for ollama and openai; optional for cli presets)' }),
    base_url: field(z.url().nullable().default(null), { description: 'server URL (null: http://127.0.0.1:11434 for ollama, https://api.openai.com/v1 for openai)' }),
    api_key: field(z.string().default(''), {
      secret: true,
      description: 'API key sent as a Bearer token (openai); write `${MY_KEY}` to take it from the environment. Empty with the default OpenAI URL: OPENAI_API_KEY',
    }),
    weight: field(z.number().min(0).default(1), { description: 'ensemble weight before renormalisation (ensemble.weights overrides it)' }),
    timeout_ms: field(z.number().int().positive().default(120_000), { description: 'per-call timeout; the call is aborted (the process killed for CLIs) when it passes' }),
    local: field(z.boolean().nullable().default(null), {
      description: 'counts toward the ensemble quorum; null: auto (rules: yes; ollama/openai: yes when base_url is loopback or a private address; cli/command: no)',
    }),
    temperature: field(z.number().min(0).max(2).default(0), { description: 'sampling temperature (0 keeps answers as repeatable as the server allows)' }),
    max_tokens: field(z.number().int().positive().nullable().default(null), { description: 'cap on generated tokens (null: the server default)' }),
    structured_output: field(z.enum(STRUCTURED_OUTPUT).default('json_schema'), {
      description: 'how JSON is requested first: json_schema (schema-constrained), json_object (any JSON) or none (prompt only); a server that refuses the mode is asked with the next weaker one, kept from then on and shown in the decision metadata',
    }),
    preset: field(z.enum(CLI_PRESETS).nullable().default(null), { description: 'assistant CLI preset (kind cli): codex, copilot, qwen or gemini' }),
    command: field(z.string().min(1).nullable().default(null), { description: 'executable (required for kind command; overrides the preset executable for kind cli)' }),
    args: field(z.array(z.string()).default([]), { description: 'arguments (kind command), or extra arguments appended to the preset; `{prompt}` is replaced by the prompt when prompt_via is arg' }),
    prompt_via: field(z.enum(['stdin', 'arg']).nullable().default(null), { description: 'how the prompt reaches the executable (null: the preset choice; stdin for command)' }),
    training_cutoff: field(isoDate.nullable().default(null), { description: 'last date of the model training data; backtests before it can leak the future' }),
    daily_call_budget: budget('call'),
    daily_token_budget: budget('token (prompt + completion)'),
  })
  .superRefine((p, ctx) => {
    const need = (ok: boolean, path: string, message: string) => ok || ctx.addIssue({ code: 'custom', path: [path], message });
    if (p.kind === 'ollama' || p.kind === 'openai') need(p.model !== null, 'model', `a model name (required for kind ${p.kind})`);
    if (p.kind === 'cli') need(p.preset !== null, 'preset', `one of ${CLI_PRESETS.join(', ')} (required for kind cli)`);
    if (p.kind === 'command') need(p.command !== null, 'command', 'an executable (required for kind command)');
  });

export type ProviderInstanceConfig = z.infer<typeof providerInstanceSchema>;

export const providersSection = field(
  z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'a lower-case name of letters, digits, _ and -'), providerInstanceSchema).superRefine((r, ctx) => {
    for (const name of RESERVED_PROVIDER_NAMES) {
      if (name in r) ctx.addIssue({ code: 'custom', path: [name], message: `a name other than "${name}" (reserved for the ensemble of all providers)` });
    }
    if ('rules' in r && r.rules.kind !== 'rules') ctx.addIssue({ code: 'custom', path: ['rules', 'kind'], message: '"rules" (the name rules is the built-in rules provider)' });
  }),
  {
    description:
      'named decision providers, e.g. `llama: {kind: ollama, model: llama3.1:8b}`; fields: kind, enabled, model, base_url, api_key, weight, timeout_ms, local, temperature, max_tokens, structured_output, preset, command, args, prompt_via, training_cutoff, daily_call_budget, daily_token_budget. The rules provider is always present',
  },
);

export const ensembleSection = z.strictObject({
  providers: field(z.array(z.string()).default([]), { description: 'members of `--provider ensemble` (empty: rules plus every enabled configured provider)' }),
  weights: field(z.record(z.string(), z.number().min(0)).default({}), { description: 'weight per member name, overriding providers.<name>.weight; renormalised over the members that answer' }),
  min_local_providers: field(z.number().int().min(0).default(3), { description: 'local members that must answer; fewer cut the ensemble confidence by quorum_penalty' }),
  quorum_penalty: fraction(0.3, 'confidence cut when the local quorum is not met (0.3: confidence × 0.7)'),
  fallback_provider: field(z.string().min(1).nullable().default('rules'), { description: 'provider asked when the requested one (or every ensemble member) fails (null: answer HOLD, degraded)' }),
});

export const cassetteSection = z.strictObject({
  mode: field(z.enum(CASSETTE_MODES).default('off'), {
    description: 'provider response cassette: off, record (store answers), replay (stored answer when present, else live and stored), strict (a missing answer is a failure; no live call)',
  }),
});

export const newsSection = z.strictObject({
  source: field(z.enum(['none', 'alpha_vantage']).default('none'), { description: 'news sentiment put into the provider context (alpha_vantage: NEWS_SENTIMENT with data.alpha_vantage.api_key)' }),
  max_items: field(z.number().int().min(1).max(50).default(10), { description: 'news items per analysis (only items published at or before the decision time)' }),
});
