import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { tempCwd } from '../support/cli.js';
import { ctlBin, ctlHome } from '../support/ctl.js';
import { alertRules, dashboards, metricNames, panelsOf, query, RULES_DIR, startPrometheus, toPromQL, type Running } from '../support/ops.js';
import { createKey, startServe, type Served } from '../support/serve.js';

/**
 * The monitoring files against the real thing: the built `ffe serve` with its agent deciding in
 * dry-run on the bundled data, Debian's Prometheus scraping it every second (with a viewer key, as
 * docs/metrics.md says) and loading ops/prometheus/rules; then every panel query of every dashboard
 * and every alert expression is evaluated through Prometheus' HTTP API.
 */

/** Metrics created by events a dry-run agent on stale sample data never causes (fills, closes, refusals, failures, learning). */
const EVENT_ONLY = new Set([
  'ffe_trade_pnl_dollars_summary',
  'ffe_trade_pnl_dollars_summary_sum',
  'ffe_trade_pnl_dollars_summary_count',
  'ffe_orders_total',
  'ffe_risk_blocks_total',
  'ffe_circuit_breaker_transitions_total',
  'ffe_store_errors_total',
  'ffe_metrics_collect_errors_total',
  'ffe_decisions_degraded_total',
  'ffe_ensemble_weight_changes_total',
  'ffe_trades_learned_total',
]);
/** Dashboards whose panels must show data once the agent has decided (the system dashboard also holds node_exporter panels). */
const MUST_SHOW = new Set(['ffe-trading', 'ffe-agent', 'ffe-providers']);

interface Query {
  where: string;
  promql: string;
  /** Must return at least one series in this run. */
  required: boolean;
}

const queries: Query[] = [
  ...dashboards().flatMap(({ dashboard }) =>
    panelsOf(dashboard).flatMap((p) =>
      p.targets!.map((t) => ({
        where: `${dashboard.uid} / ${p.title}`,
        promql: toPromQL(t.expr!),
        required: MUST_SHOW.has(dashboard.uid) && !metricNames(t.expr!).every((n) => EVENT_ONLY.has(n)),
      })),
    ),
  ),
  ...alertRules().map((r) => ({ where: `alert ${r.alert}`, promql: r.expr, required: false })),
];

let cwd: string;
let s: Served;
let prom: Running;
let operator: string;
beforeAll(async () => {
  cwd = tempCwd('ffe-prom-live-');
  operator = await createKey(cwd, 'operator');
  const scrapeKey = await createKey(cwd, 'viewer', 'prometheus');
  writeFileSync(join(cwd, 'prometheus-key'), scrapeKey + '\n');
  s = await startServe(cwd);
  const target = new URL(s.url).host;
  prom = await startPrometheus(
    stringify({
      global: { scrape_interval: '1s', evaluation_interval: '1s', external_labels: { system: 'ffe-live-test' } },
      rule_files: [join(RULES_DIR, '*.yml')],
      scrape_configs: [{ job_name: 'ffe', metrics_path: '/metrics', authorization: { type: 'Bearer', credentials_file: join(cwd, 'prometheus-key') }, static_configs: [{ targets: [target] }] }],
    }),
  );
}, 120_000);
afterAll(async () => {
  await prom?.stop();
  if (s && s.child.exitCode === null) {
    s.child.kill('SIGTERM');
    await s.exited;
  }
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('dashboards and alerts against a live Prometheus scraping ffe serve', () => {
  it('every panel and alert query parses; trading, agent and provider panels return series once the agent decides', async () => {
    const ctl = (args: string[]) => ctlBin(['--api-url', s.url, '--api-key', operator, ...args], { home: ctlHome() });
    const start = await ctl(['bot', 'start', '--dry-run', '--assets', 'BTCUSD']);
    expect([start.code, start.stderr]).toEqual([0, '']);
    let decided = false;
    for (let i = 0; i < 300 && !decided; i++) {
      decided = Boolean((JSON.parse((await ctl(['--json', 'bot', 'status'])).stdout) as { last_decision: unknown }).last_decision);
      if (!decided) await sleep(200);
    }
    expect(decided, 'the agent made a decision').toBe(true);

    // Prometheus scrapes with the viewer key: the target is up (a 401 would show as lastError).
    let health = '';
    for (let i = 0; i < 120 && health !== 'up'; i++) {
      const t = (await (await fetch(`${prom.url}/api/v1/targets`)).json()) as { data: { activeTargets: { health: string; lastError: string }[] } };
      const a = t.data.activeTargets[0];
      health = a?.health ?? '';
      if (health !== 'up') await sleep(500);
      if (i === 119) expect(a, 'scrape target').toMatchObject({ health: 'up', lastError: '' });
    }

    // Rates need a few scrapes: evaluate until every required query has data (or a minute passed), then report.
    const results = new Map<Query, { status: string; error?: string; series: number }>();
    const evaluate = async (qs: Query[]) => {
      for (const q of qs) {
        const r = await query(prom.url, q.promql);
        results.set(q, { status: r.status, error: r.error, series: r.data?.result.length ?? 0 });
      }
    };
    const deadline = Date.now() + 60_000;
    await evaluate(queries);
    for (;;) {
      const waiting = queries.filter((q) => q.required && results.get(q)!.series === 0);
      if (waiting.length === 0 || Date.now() > deadline) break;
      await sleep(2000);
      await evaluate(waiting);
    }
    await sleep(3000);
    await evaluate(queries);

    const failed = queries.filter((q) => results.get(q)!.status !== 'success').map((q) => `${q.where}: ${results.get(q)!.error} [${q.promql}]`);
    const panels = queries.filter((q) => !q.where.startsWith('alert '));
    const alerts = queries.filter((q) => q.where.startsWith('alert '));
    const withSeries = (qs: Query[]) => qs.filter((q) => results.get(q)!.series > 0);
    console.log(
      [
        `prometheus-live: ${queries.length} queries evaluated, ${failed.length} failed to parse`,
        `  panel targets: ${panels.length}, ${withSeries(panels).length} returned series (${panels.filter((q) => q.required).length} required to, all did unless listed)`,
        `  alert expressions: ${alerts.length}, ${withSeries(alerts).length} true now (firing or pending: ${
          withSeries(alerts)
            .map((q) => q.where.slice(6))
            .join(', ') || 'none'
        })`,
        ...panels.filter((q) => results.get(q)!.series === 0).map((q) => `  panel without series${q.required ? ' (REQUIRED)' : ''}: ${q.where}: ${q.promql}`),
      ].join('\n'),
    );
    expect(failed).toEqual([]);
    expect(panels.filter((q) => q.required && results.get(q)!.series === 0).map((q) => `${q.where}: ${q.promql}`)).toEqual([]);

    // Prometheus evaluates every rule itself without error.
    const rules = (await (await fetch(`${prom.url}/api/v1/rules`)).json()) as { data: { groups: { rules: { name: string; health: string; lastError?: string }[] }[] } };
    const loaded = rules.data.groups.flatMap((g) => g.rules);
    expect(loaded.map((r) => r.name).sort()).toEqual(
      alertRules()
        .map((r) => r.alert)
        .sort(),
    );
    expect(loaded.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.health} ${r.lastError ?? ''}`)).toEqual([]);
  }, 240_000);
});
