import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO } from './cli.js';
import { freePort } from './redis.js';

/** The monitoring files under test (ops/) and the metric contract they are written against. */
export const OPS = join(REPO, 'ops');
export const PROMETHEUS_CONFIG = join(OPS, 'prometheus/prometheus.yml');
export const RULES_DIR = join(OPS, 'prometheus/rules');
export const RULE_TESTS_DIR = join(OPS, 'prometheus/tests');
export const ALERTMANAGER_CONFIG = join(OPS, 'alertmanager/alertmanager.yml');
export const DASHBOARDS_DIR = join(OPS, 'grafana/dashboards');
export const METRICS_DOC = join(REPO, 'docs/metrics.md');

/** The alerts the operations issue asks for, by name. */
export const ISSUE_ALERTS = [
  'TradingAgentDown',
  'LargeDrawdown',
  'HighDecisionLatency',
  'HighProviderFailureRate',
  'CircuitBreakerOpen',
  'TooManyActiveTrades',
  'NoTradingActivity',
  'LowConfidenceDecisions',
  'KillSwitchActive',
  'HighApiErrorRate',
  'HighApiLatency',
  'StoreUnavailable',
  'DiskSpaceLow',
  'MemoryHigh',
] as const;

export const yamlFiles = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.yml'))
    .map((f) => join(dir, f));

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export const alertRules = (): AlertRule[] => yamlFiles(RULES_DIR).flatMap((f) => (parse(readFileSync(f, 'utf8')) as { groups: { rules: AlertRule[] }[] }).groups.flatMap((g) => g.rules));

export interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  targets?: { expr?: string; datasource?: { uid?: string } }[];
  panels?: Panel[];
}
export interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { name: string; type: string; query?: string }[] };
}

export const dashboards = (): { file: string; dashboard: Dashboard }[] =>
  readdirSync(DASHBOARDS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ file: f, dashboard: JSON.parse(readFileSync(join(DASHBOARDS_DIR, f), 'utf8')) as Dashboard }));

/** Every panel of a dashboard, rows' nested panels included, rows themselves left out (they only group). */
export const panelsOf = (d: Dashboard): Panel[] => d.panels.flatMap((p) => (p.type === 'row' ? (p.panels ?? []) : [p]));

/**
 * A Grafana expression as Prometheus sees it once Grafana substituted its variables (values a
 * 1-second scrape interval over a short run can answer: `$__rate_interval` at least 4 scrapes).
 */
export function toPromQL(expr: string): string {
  return expr
    .replaceAll('$__rate_interval', '1m')
    .replaceAll('$__interval', '15s')
    .replaceAll('$__range', '1h')
    .replaceAll(/\$\{?datasource\}?/g, 'ffe-prometheus');
}

const PROMQL_WORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'offset', 'bool', 'inf', 'nan']);

/** The metric names a PromQL expression selects (no parser: strings, label matchers, grouping lists and ranges are cut first). */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replaceAll(/"(?:[^"\\]|\\.)*"/g, '""')
    .replaceAll(/\{[^}]*\}/g, ' ')
    .replaceAll(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replaceAll(/\[[^\]]*\]/g, ' ');
  const names = [...bare.matchAll(/(?<![\w.:])([a-zA-Z_:][\w:]*)(?![\w:]|\s*\()/g)].map((m) => m[1]).filter((n) => !PROMQL_WORDS.has(n.toLowerCase()));
  return [...new Set(names)];
}

/** The metric names docs/metrics.md defines, with the series names a histogram or summary adds. */
export function documentedMetrics(doc = readFileSync(METRICS_DOC, 'utf8')): Set<string> {
  const names = new Set<string>();
  for (const m of doc.matchAll(/^\|\s*`([a-z_:][a-z0-9_:]*)`\s*\|\s*([a-z]+)/gm)) {
    const [, name, type] = m;
    names.add(name);
    if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
    if (type === 'summary') for (const s of ['_sum', '_count']) names.add(name + s);
  }
  return names;
}

/**
 * Metrics the dashboards and rules may use without docs/metrics.md listing them: prom-client's
 * process defaults, node_exporter's host metrics and what Prometheus itself makes (up, ALERTS).
 */
export const isOutsideMetric = (name: string): boolean => /^(process_|nodejs_|node_)/.test(name) || name === 'up' || name === 'ALERTS';

export interface ToolRun {
  code: number | null;
  stdout: string;
  stderr: string;
}
export const runTool = (bin: string, args: string[], cwd = OPS): ToolRun => {
  const r = spawnSync(bin, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

export interface Running {
  url: string;
  dir: string;
  log: () => string;
  stop(): Promise<void>;
}

/** Spawns a server binary on a free loopback port in a temp dir; resolves once `ready` (a path) answers 200. */
async function startServer(bin: string, args: (port: number, dir: string) => string[], ready: string, dir: string): Promise<Running> {
  const port = await freePort();
  const child: ChildProcess = spawn(bin, args(port, dir), { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) break;
    const ok = await fetch(url + ready).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { url, dir, log: () => log, stop };
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`${bin} did not become ready on ${url}:\n${log}`);
}

/** Debian's Prometheus on 127.0.0.1 with `config` (YAML text) in a temp dir (its TSDB too). */
export function startPrometheus(config: string): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'ffe-prometheus-'));
  writeFileSync(join(dir, 'prometheus.yml'), config);
  return startServer('prometheus', (port, d) => ['--config.file', join(d, 'prometheus.yml'), '--storage.tsdb.path', join(d, 'data'), '--web.listen-address', `127.0.0.1:${port}`], '/-/ready', dir);
}

/** Debian's Alertmanager on 127.0.0.1 with `config` (YAML text) in a temp dir, clustering off. */
export function startAlertmanager(config: string): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'ffe-alertmanager-'));
  writeFileSync(join(dir, 'alertmanager.yml'), config);
  return startServer(
    'prometheus-alertmanager',
    (port, d) => ['--config.file', join(d, 'alertmanager.yml'), '--storage.path', join(d, 'data'), '--web.listen-address', `127.0.0.1:${port}`, '--cluster.listen-address', ''],
    '/-/ready',
    dir,
  );
}

export interface QueryResult {
  status: string;
  error?: string;
  data?: { resultType: string; result: unknown[] };
}

/** One instant query through Prometheus' HTTP API. */
export async function query(prometheusUrl: string, promql: string): Promise<QueryResult> {
  const res = await fetch(`${prometheusUrl}/api/v1/query`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ query: promql }) });
  return (await res.json()) as QueryResult;
}
