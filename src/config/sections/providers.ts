import { z } from 'zod';
import { dataAdapters, providerAdapters } from '../../app/registry.js';
import type { AnyProviderAdapter } from '../../providers/adapter.js';
import { providerCommonShape } from '../../providers/config.js';
import { field, fraction } from '../meta.js';

export const CASSETTE_MODES = ['off', 'record', 'replay', 'strict'] as const;
/** Names the CLI and the engine give a meaning of their own. */
export const RESERVED_PROVIDER_NAMES = ['ensemble'] as const;

type Registered = (typeof providerAdapters)[number];
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type AdapterFields = UnionToIntersection<Registered['configSchema']['shape']>;
export type ProviderKind = Registered['kind'];
export const PROVIDER_KINDS = providerAdapters.map((a) => a.kind) as [ProviderKind, ...ProviderKind[]];

/** Every adapter's own fields in one shape; two adapters may share a field only as the same schema object. */
function adapterFields(): AdapterFields {
  const out: Record<string, z.ZodType> = {};
  for (const a of providerAdapters) {
    for (const [key, schema] of Object.entries(a.configSchema.shape as Record<string, z.ZodType>)) {
      if ((key in out && out[key] !== schema) || key in providerCommonShape || key === 'kind') throw new Error(`provider adapter ${a.kind}: field ${key} is already defined by another adapter or the common fields`);
      out[key] = schema;
    }
  }
  return out as AdapterFields;
}

const kinds = providerAdapters.map((a) => `${a.kind} (${a.summary})`).join(', ');

/** One `providers.<name>` entry: the common fields plus every registered kind's own, checked by its kind. */
export const providerInstanceSchema = z
  .strictObject({
    kind: field(z.enum(PROVIDER_KINDS), { description: `adapter: ${kinds}` }),
    ...providerCommonShape,
    ...adapterFields(),
  })
  .superRefine((p, ctx) => {
    const adapter = providerAdapters.find((a) => a.kind === p.kind) as AnyProviderAdapter | undefined;
    adapter?.check?.(p, (ok, path, message) => ok || ctx.addIssue({ code: 'custom', path: [path], message }));
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
    description: `named decision providers, e.g. \`llama: {kind: ollama, model: llama3.1:8b}\`; fields: ${Object.keys(providerInstanceSchema.shape).join(', ')}. The rules provider is always present`,
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

type NewsKind = Extract<(typeof dataAdapters)[number], { news: true }>['kind'];

export const newsSection = z.strictObject({
  source: field(z.enum(['none', ...dataAdapters.filter((a) => a.news).map((a) => a.kind)] as ['none', ...NewsKind[]]).default('none'), {
    description: `news sentiment put into the provider context: none, or a data source that serves news (${dataAdapters
      .filter((a) => a.news)
      .map((a) => `${a.kind}, with data.${a.kind}`)
      .join('; ')})`,
  }),
  max_items: field(z.number().int().min(1).max(50).default(10), { description: 'news items per analysis (only items published at or before the decision time)' }),
});
