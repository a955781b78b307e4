import type { Command } from 'commander';
import type { App } from '../../../app/container.js';
import type { ProviderCatalogEntry } from '../../../app/provider-setup.js';
import { FfeError, inputError } from '../../../core/errors.js';
import { budgetSpent, tokensOf, utcDay } from '../../../providers/accounting/accounting-provider.js';
import { isProbeable } from '../../../providers/llm/capabilities.js';
import type { DecisionProvider, ProviderResult } from '../../../providers/port.js';
import { num, table } from '../format.js';
import { print, printJson, withApp } from '../run.js';

const PROBE_TIMEOUT_MS = 3000;

async function listRows(app: App, probe: boolean) {
  const day = utcDay(Date.now());
  const usage = new Map((await app.providerSetup.usage.list(day)).map((u) => [u.provider, u]));
  return Promise.all(
    app.providerSetup.catalog.map(async (c) => {
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
}

type TestRow = { name: string; kind: string; model: string | null; ok: boolean; action: string | null; confidence: number | null; latencyMs: number; tokens: number | null; failure: string | null; reasoning: string | null };

function testRow(p: DecisionProvider, r: ProviderResult, wallMs: number): TestRow {
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

function targets(app: App, name: string | undefined): DecisionProvider[] {
  if (name === 'ensemble') return [app.providerSetup.ensemble];
  const enabled = app.providerSetup.catalog.filter((c) => c.enabled);
  if (!name) return enabled.map((c) => c.live);
  const entry: ProviderCatalogEntry | undefined = app.providerSetup.catalog.find((c) => c.name === name);
  if (!entry) throw inputError('PROVIDER_UNKNOWN', `unknown provider "${name}"; configured: ${app.providerSetup.catalog.map((c) => c.name).join(', ')}, ensemble`);
  return [entry.live];
}

export function registerProviders(program: Command): void {
  const providers = program.command('providers').description('list the configured decision providers and test them with a real round trip');

  providers
    .command('list')
    .description('configured providers: kind, model, weight, local, reachable?, usage today')
    .option('--no-probe', 'skip the reachability check')
    .option('--json', 'print as JSON')
    .action(async (opts: { probe: boolean; json?: boolean }, cmd: Command) => {
      await withApp(cmd, async (app) => {
        const rows = await listRows(app, opts.probe);
        if (opts.json) return printJson({ cassetteMode: app.providerSetup.cassette.mode, providers: rows });
        const yes = (b: boolean | null) => (b === null ? '-' : b ? 'yes' : 'no');
        print(
          table(
            ['name', 'kind', 'model', 'enabled', 'local', 'weight', 'ensemble', 'timeout', 'reachable', 'today', 'budget'],
            rows.map((r) => [
              r.name,
              r.kind,
              r.model ?? '-',
              yes(r.enabled),
              yes(r.local),
              num(r.weight, 3),
              yes(r.inEnsemble),
              `${r.timeoutMs} ms`,
              r.reachable === null ? '-' : `${yes(r.reachable)}${r.reachability ? `: ${r.reachability.slice(0, 60)}` : ''}`,
              r.today ? `${r.today.calls} calls, ${r.today.failures} failed, ${r.today.tokens} tokens` : '-',
              r.budget.exhausted ? 'SPENT' : [r.budget.dailyCalls && `${r.budget.dailyCalls} calls`, r.budget.dailyTokens && `${r.budget.dailyTokens} tokens`].filter(Boolean).join(', ') || '-',
            ]),
          ) + `\ncassette mode: ${app.providerSetup.cassette.mode}`,
        );
      });
    });

  providers
    .command('test')
    .description('ask one provider (or every enabled one) for a decision on a real context and time it; exit 1 if any fails')
    .argument('[name]', 'provider name (default: every enabled provider); `ensemble` tests the ensemble')
    .option('--pair <pair>', 'pair whose context is sent', 'BTCUSD')
    .option('--json', 'print as JSON')
    .action(async (name: string | undefined, opts: { pair: string; json?: boolean }, cmd: Command) => {
      await withApp(cmd, async (app) => {
        const chosen = targets(app, name);
        const { context } = await app.engine.gather(opts.pair);
        const rows = await Promise.all(
          chosen.map(async (p) => {
            const t0 = performance.now();
            const r = await p.decide(context);
            return testRow(p, r, performance.now() - t0);
          }),
        );
        if (opts.json) printJson({ pair: context.pair.symbol, asOf: new Date(context.asOf).toISOString(), results: rows });
        else {
          print(
            table(
              ['provider', 'kind', 'model', 'result', 'latency', 'tokens'],
              rows.map((r) => [r.name, r.kind, r.model ?? '-', r.ok ? `${r.action} ${r.confidence}` : `FAILED ${r.failure}`, `${r.latencyMs} ms`, r.tokens ?? '-']),
            ),
          );
        }
        const failed = rows.filter((r) => !r.ok);
        if (failed.length) {
          throw new FfeError('provider', 'PROVIDER_TEST_FAILED', `${failed.length} of ${rows.length} provider(s) failed: ${failed.map((r) => `${r.name} (${r.failure})`).join('; ')}`);
        }
      });
    });
}
