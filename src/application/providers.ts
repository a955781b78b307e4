import type { ProviderCatalogEntry } from '../app/provider-setup.js';
import { FfeError, inputError } from '../core/errors.js';
import { budgetSpent, tokensOf, utcDay } from '../providers/accounting/accounting-provider.js';
import { isProbeable } from '../providers/llm/capabilities.js';
import type { DecisionProvider, ProviderResult } from '../providers/port.js';
import type { Runtime } from './runtime.js';

const PROBE_TIMEOUT_MS = 3000;

export type ProviderTestRow = {
  name: string;
  kind: string;
  model: string | null;
  ok: boolean;
  action: string | null;
  confidence: number | null;
  latencyMs: number;
  tokens: number | null;
  failure: string | null;
  reasoning: string | null;
};

function testRow(p: DecisionProvider, r: ProviderResult, wallMs: number): ProviderTestRow {
  const tokens = r.usage ? (r.usage.promptTokens ?? 0) + (r.usage.completionTokens ?? 0) : null;
  return {
    name: p.name,
    kind: p.kind,
    model: p.model,
    ok: r.ok,
    action: r.ok ? r.signal.action : null,
    confidence: r.ok ? r.signal.confidence : null,
    latencyMs: Math.round(wallMs),
    tokens,
    failure: r.ok ? null : `${r.code}: ${r.reason}`,
    reasoning: r.ok ? r.signal.reasoning : null,
  };
}

/** The decision providers: what is configured, reachable and spent today; a real round trip to test them. */
export const providerUseCases = (rt: Runtime) => {
  const { app } = rt;
  const setup = app.providerSetup;
  const targets = (name: string | undefined): DecisionProvider[] => {
    if (name === 'ensemble') return [setup.ensemble];
    const enabled = setup.catalog.filter((c) => c.enabled);
    if (!name) return enabled.map((c) => c.live);
    const entry: ProviderCatalogEntry | undefined = setup.catalog.find((c) => c.name === name);
    if (!entry) throw inputError('PROVIDER_UNKNOWN', `unknown provider "${name}"; configured: ${setup.catalog.map((c) => c.name).join(', ')}, ensemble`);
    return [entry.live];
  };
  return {
    async list(probe: boolean) {
      const day = utcDay(Date.now());
      const usage = new Map((await setup.usage.list(day)).map((u) => [u.provider, u]));
      const providers = await Promise.all(
        setup.catalog.map(async (c) => {
          const reach = !probe ? null : c.kind === 'rules' ? { reachable: true, detail: 'built in, no I/O' } : isProbeable(c.live) ? await c.live.probe(PROBE_TIMEOUT_MS) : null;
          const u = usage.get(c.name) ?? null;
          const budget = { dailyCalls: c.config?.daily_call_budget ?? null, dailyTokens: c.config?.daily_token_budget ?? null };
          return {
            name: c.name,
            kind: c.kind,
            model: c.model,
            enabled: c.enabled,
            local: c.local,
            weight: c.weight,
            inEnsemble: c.inEnsemble,
            timeoutMs: c.timeoutMs,
            reachable: reach?.reachable ?? null,
            reachability: reach?.detail ?? null,
            today: u ? { calls: u.calls, failures: u.failures, tokens: tokensOf(u), avgLatencyMs: Math.round(u.latencyMsTotal / Math.max(1, u.calls)) } : null,
            budget: { ...budget, exhausted: budgetSpent(u, budget, day) },
          };
        }),
      );
      return { cassetteMode: setup.cassette.mode, providers };
    },

    /** Asks each chosen provider for a decision on a real context; `failure` is the error to report when any failed. */
    async test(name: string | undefined, pair: string) {
      const chosen = targets(name);
      const { context } = await app.engine.gather(pair);
      const results = await Promise.all(
        chosen.map(async (p) => {
          const t0 = performance.now();
          const r = await p.decide(context);
          return testRow(p, r, performance.now() - t0);
        }),
      );
      const failed = results.filter((r) => !r.ok);
      const failure = failed.length ? new FfeError('provider', 'PROVIDER_TEST_FAILED', `${failed.length} of ${results.length} provider(s) failed: ${failed.map((r) => `${r.name} (${r.failure})`).join('; ')}`) : null;
      return { pair: context.pair.symbol, asOf: new Date(context.asOf).toISOString(), results, failure };
    },
  };
};
