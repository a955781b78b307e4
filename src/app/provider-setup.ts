import { observedProvider, type ProviderCallListener } from '../providers/observed.js';
import { pino } from 'pino';
import { traceIds } from '../observability/span.js';
import type { Config } from '../config/schema.js';
import { providerInstanceSchema, type ProviderInstanceConfig } from '../config/sections/providers.js';
import { FfeError } from '../core/errors.js';
import type { MarketData, NewsSource } from '../data/port.js';
import { EnsembleProvider, type EnsembleMember } from '../ensemble/ensemble-provider.js';
import { StaticWeights, type WeightSource } from '../ensemble/port.js';
import { AccountedProvider, type ProviderFailure } from '../providers/accounting/accounting-provider.js';
import { CassetteProvider, type CassetteMode, type CassetteStats } from '../providers/cassette/cassette-provider.js';
import type { AnyProviderAdapter } from '../providers/adapter.js';
import { trimSlash } from '../providers/llm/shape.js';
import type { DecisionProvider } from '../providers/port.js';
import type { CassetteRepository, ProviderUsageRepository, Store } from '../store/port.js';
import { buildNewsSource } from './data-setup.js';
import { providerAdapters } from './registry.js';

export interface ProviderCatalogEntry {
  name: string;
  kind: string;
  model: string | null;
  enabled: boolean;
  local: boolean;
  /** Configured weight (ensemble.weights, else providers.<name>.weight, else 1). */
  weight: number;
  timeoutMs: number;
  inEnsemble: boolean;
  /** null for the built-in rules provider. */
  config: ProviderInstanceConfig | null;
  /** Accounted but never replayed: real round trips (`ffe providers test`). */
  live: DecisionProvider;
  /** What `analyze` and the ensemble use: accounted, behind the cassette. */
  provider: DecisionProvider;
}

export interface ProviderSetup {
  /** Every enabled provider by name, plus `ensemble`. */
  providers: Map<string, DecisionProvider>;
  catalog: ProviderCatalogEntry[];
  ensemble: EnsembleProvider;
  fallback: DecisionProvider | null;
  cassette: { mode: CassetteMode; store: CassetteRepository; stats(): CassetteStats };
  usage: ProviderUsageRepository;
}

export interface ProviderSetupDeps {
  store: Pick<Store, 'cassettes' | 'providerUsage'>;
  env?: Record<string, string | undefined>;
  /** Overrides `cassette.mode` (the backtester runs LLM strategies in strict mode). */
  cassetteMode?: CassetteMode;
  /** Overrides the configured weights (the feedback loop's adaptive weights). */
  weightSource?: WeightSource;
  /** Where provider failures are reported (default: a warn line on stderr at `logging.level`). */
  onFailure?: (provider: string, failure: ProviderFailure) => void;
  /** Told of every call to a configured provider (its time and outcome: the metrics' provider latency). */
  onCall?: ProviderCallListener;
}

/** One JSON line on stderr per failed provider call; reasons are already free of keys. */
function failureLogger(config: Config): (provider: string, f: ProviderFailure) => void {
  const log = pino({ name: 'ffe.providers', level: config.logging.level, base: undefined, mixin: traceIds }, pino.destination({ dest: 2, sync: true }));
  return (provider, f) => log.warn({ provider, code: f.code, reason: f.reason, latencyMs: Math.round(f.latencyMs) }, 'provider failed');
}

const BUILTIN_RULES: ProviderInstanceConfig = providerInstanceSchema.parse({ kind: 'rules', timeout_ms: 5000, structured_output: 'none' });

/** The registered adapter of a kind (the config schema only admits registered kinds). */
const adapterOf = (kind: string): AnyProviderAdapter => providerAdapters.find((a) => a.kind === kind)!;

const LOCAL_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|::1|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+|[^.]+\.local)$/i;

/**
 * Local providers count toward the ensemble quorum: rules, and HTTP servers on a loopback or
 * private address (the model runs on the user's hardware). Assistant CLIs and remote servers are
 * cloud services. An explicit `local` wins; otherwise the adapter's `locality` says.
 */
export function isLocal(p: ProviderInstanceConfig): boolean {
  if (p.local !== null) return p.local;
  const a = adapterOf(p.kind);
  if (a.locality !== 'by-url') return a.locality === 'local';
  const url = p.base_url ?? a.defaultBaseUrl;
  return url !== null && LOCAL_HOST.test(new URL(url).hostname);
}

/**
 * The key of an HTTP entry: its own, or the kind's environment variable (OPENAI_API_KEY, …), but
 * only for the kind's own endpoint so a user's key is never sent to another server. Written into
 * the config object so the CLI scrubs it like every configured secret.
 */
function resolveApiKeys(config: Config, env: Record<string, string | undefined>): void {
  for (const p of Object.values(config.providers)) {
    const a = adapterOf(p.kind);
    if (a.apiKeyEnv && a.defaultBaseUrl && !p.api_key && trimSlash(p.base_url ?? a.defaultBaseUrl) === trimSlash(a.defaultBaseUrl)) p.api_key = env[a.apiKeyEnv] ?? '';
  }
}

function configuredWeight(config: Config, name: string, p: ProviderInstanceConfig): number {
  return config.ensemble.weights[name] ?? p.weight;
}

/** The ensemble's members: `ensemble.providers`, or rules plus every enabled provider. */
function ensembleNames(config: Config, entries: Map<string, ProviderInstanceConfig>): string[] {
  const listed = config.ensemble.providers;
  if (!listed.length) return [...entries].filter(([, p]) => p.enabled).map(([n]) => n);
  for (const n of listed) {
    if (!entries.has(n)) throw new FfeError('config', 'ENSEMBLE_MEMBER_UNKNOWN', `ensemble.providers: "${n}" is not a configured provider (configured: ${[...entries.keys()].join(', ')})`);
  }
  return listed.filter((n) => entries.get(n)!.enabled);
}

/**
 * Builds every configured provider: adapter (registry) → accounting and budget → cassette; the
 * ensemble over the members; the fallback provider. Rules is always present; `ensemble` is
 * reserved.
 */
export function buildProviders(config: Config, deps: ProviderSetupDeps): ProviderSetup {
  resolveApiKeys(config, deps.env ?? process.env);
  const usage = deps.store.providerUsage;
  const cassetteStore = deps.store.cassettes;
  const mode = deps.cassetteMode ?? config.cassette.mode;
  const entries = new Map<string, ProviderInstanceConfig>([['rules', config.providers.rules ?? BUILTIN_RULES], ...Object.entries(config.providers).filter(([n]) => n !== 'rules')]);
  const members = new Set(ensembleNames(config, entries));

  const onFailure = deps.onFailure ?? failureLogger(config);
  const cassettes: CassetteProvider[] = [];
  const catalog: ProviderCatalogEntry[] = [...entries].map(([name, p]) => {
    const adapter = adapterOf(p.kind).create(name, p);
    const pure = adapterOf(p.kind).pure === true;
    const live = pure ? adapter : new AccountedProvider(adapter, usage, { dailyCalls: p.daily_call_budget, dailyTokens: p.daily_token_budget }, { onFailure });
    // Pure providers (rules, ml) are free and deterministic: recording them would only fill the store.
    const recorded = pure ? live : new CassetteProvider(live, cassetteStore, mode);
    if (recorded instanceof CassetteProvider) cassettes.push(recorded);
    const provider = deps.onCall ? observedProvider(recorded, deps.onCall) : recorded;
    return {
      name,
      kind: p.kind,
      model: adapter.model,
      enabled: p.enabled,
      local: isLocal(p),
      weight: configuredWeight(config, name, p),
      timeoutMs: p.timeout_ms,
      inEnsemble: members.has(name),
      config: p.kind === 'rules' && !config.providers.rules ? null : p,
      live,
      provider,
    };
  });

  const ensembleMembers: EnsembleMember[] = catalog.filter((c) => c.inEnsemble).map((c) => ({ provider: c.provider, local: c.local, timeoutMs: c.timeoutMs }));
  const weights = deps.weightSource ?? new StaticWeights(Object.fromEntries(catalog.map((c) => [c.name, c.weight])));
  const ensemble = new EnsembleProvider(ensembleMembers, { minLocalProviders: config.ensemble.min_local_providers, quorumPenalty: config.ensemble.quorum_penalty }, weights);

  const providers = new Map<string, DecisionProvider>(catalog.filter((c) => c.enabled).map((c) => [c.name, c.provider]));
  providers.set('ensemble', ensemble);
  const fb = config.ensemble.fallback_provider;
  if (fb !== null && (!providers.has(fb) || fb === 'ensemble')) {
    throw new FfeError('config', 'FALLBACK_PROVIDER_UNKNOWN', `ensemble.fallback_provider: "${fb}" is not an enabled provider (enabled: ${[...providers.keys()].filter((n) => n !== 'ensemble').join(', ')})`);
  }
  return {
    providers,
    catalog,
    ensemble,
    fallback: fb === null ? null : providers.get(fb)!,
    cassette: {
      mode,
      store: cassetteStore,
      stats: () => cassettes.reduce((s, c) => ({ hits: s.hits + c.stats.hits, misses: s.misses + c.stats.misses, recorded: s.recorded + c.stats.recorded }), { hits: 0, misses: 0, recorded: 0 }),
    },
    usage,
  };
}

/** The configured news source, sharing the market data adapter when it is the same service. */
export function buildNews(config: Config, primary: MarketData & Partial<NewsSource>): NewsSource | undefined {
  const src = config.news.source;
  if (src === 'none') return undefined;
  const source: NewsSource = config.data.source === src && typeof primary.news === 'function' ? (primary as NewsSource) : buildNewsSource(config, src);
  const max = config.news.max_items;
  return {
    name: source.name,
    // News is optional context: an outage or a spent quota leaves it out rather than failing the analysis.
    // The caller's number is honoured (news.max_items when it does not say).
    news: async (pair, at, limit = max) => {
      try {
        return (await source.news(pair, at, limit)).filter((n) => n.publishedAt <= at);
      } catch {
        return [];
      }
    },
  };
}
