import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alertRules, dashboards, documentedMetrics, isOutsideMetric, METRICS_DOC, metricNames, panelsOf } from '../support/ops.js';

describe('ops/grafana: dashboards', () => {
  const all = dashboards();

  it('four dashboards, unique uids, each with the ${datasource} variable', () => {
    expect(all.map((d) => d.file).sort()).toEqual(['ffe-agent.json', 'ffe-providers.json', 'ffe-system.json', 'ffe-trading.json']);
    expect(new Set(all.map((d) => d.dashboard.uid)).size).toBe(4);
    for (const { file, dashboard } of all)
      expect(
        dashboard.templating.list.find((v) => v.name === 'datasource'),
        file,
      ).toMatchObject({ type: 'datasource', query: 'prometheus' });
  });

  it('every panel has the datasource variable and at least one expression; ids are unique per dashboard', () => {
    for (const { file, dashboard } of all) {
      const ids = dashboard.panels.map((p) => p.id);
      expect(new Set(ids).size, file).toBe(ids.length);
      for (const p of panelsOf(dashboard)) {
        const where = `${file}: ${p.title}`;
        expect(p.datasource?.uid, where).toBe('${datasource}');
        expect(p.targets?.length ?? 0, where).toBeGreaterThan(0);
        for (const t of p.targets!) {
          expect(t.expr?.trim().length ?? 0, where).toBeGreaterThan(0);
          expect(t.datasource?.uid, where).toBe('${datasource}');
        }
      }
    }
  });

  it('every metric a panel or an alert names is in docs/metrics.md (or a process, node_exporter or Prometheus metric)', () => {
    expect(existsSync(METRICS_DOC), 'docs/metrics.md (from the metrics branch) must exist').toBe(true);
    const documented = documentedMetrics();
    expect(documented.has('ffe_decision_latency_seconds_bucket')).toBe(true);
    const exprs = [
      ...all.flatMap(({ file, dashboard }) => panelsOf(dashboard).flatMap((p) => p.targets!.map((t) => ({ where: `${file}: ${p.title}`, expr: t.expr! })))),
      ...alertRules().map((r) => ({ where: `alert ${r.alert}`, expr: r.expr })),
    ];
    const unknown = exprs.flatMap(({ where, expr }) =>
      metricNames(expr)
        .filter((n) => !documented.has(n) && !isOutsideMetric(n))
        .map((n) => `${where}: ${n}`),
    );
    expect(unknown).toEqual([]);
    // The check can fail: a made-up name is caught.
    expect(metricNames('sum by (provider) (rate(ffe_made_up_total{status!="ok"}[5m])) / on (x) vector(1)').filter((n) => !documented.has(n))).toEqual(['ffe_made_up_total']);
  });

  it('metricNames: selects metric names only, not functions, labels, grouping lists or keywords', () => {
    expect(metricNames('histogram_quantile(0.95, sum by (provider, le) (rate(ffe_decision_latency_seconds_bucket{job="ffe"}[$__rate_interval])))')).toEqual(['ffe_decision_latency_seconds_bucket']);
    expect(metricNames('(time() - ffe_last_trade_timestamp_seconds > 4 * 3600) and on (instance, job) (min_over_time(ffe_bot_state{state="running"}[4h]) == 1)')).toEqual([
      'ffe_last_trade_timestamp_seconds',
      'ffe_bot_state',
    ]);
    expect(metricNames('sum(x_total) or vector(0)')).toEqual(['x_total']);
  });
});
