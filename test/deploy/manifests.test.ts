import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { RULES_DIR, runTool } from '../support/ops.js';
import { DEPLOY, filesUnder, REPO, run, unknownEnvNames, YAMLLINT_CONFIG } from './support.js';

const K8S = join(DEPLOY, 'k8s');
const CHART = join(DEPLOY, 'helm/ffe');

interface Probe {
  httpGet: { path: string; port: string };
}
interface Container {
  image: string;
  args?: string[];
  livenessProbe: Probe;
  readinessProbe: Probe;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  securityContext: { allowPrivilegeEscalation: boolean; readOnlyRootFilesystem: boolean };
}
interface K8sObject {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  spec?: { template?: { spec: { containers: Container[]; securityContext: { runAsNonRoot: boolean; runAsUser: number } } } };
}

const k8sObjects = (): K8sObject[] => filesUnder(K8S, /\.yaml$/).flatMap((f) => parseAllDocuments(readFileSync(f, 'utf8')).map((d) => d.toJS() as K8sObject));

describe('deployment YAML (yamllint)', () => {
  it('the manifests, the chart values, the compose files and the workflows pass yamllint', () => {
    const files = [
      ...filesUnder(K8S, /\.yaml$/),
      join(CHART, 'Chart.yaml'),
      join(CHART, 'values.yaml'),
      ...filesUnder(join(DEPLOY, 'compose'), /\.yml$/),
      join(REPO, 'docker-compose.yml'),
      join(REPO, 'docker-compose.dev.yml'),
      ...filesUnder(join(REPO, '.github/workflows'), /\.yml$/),
    ];
    expect(files.length).toBeGreaterThanOrEqual(15);
    const r = run('yamllint', ['-f', 'parsable', '-c', YAMLLINT_CONFIG, ...files]);
    expect([r.code, r.stdout]).toEqual([0, '']);
  });
});

describe('deploy/k8s', () => {
  it('has every object the issue names, once', () => {
    expect(
      k8sObjects()
        .map((o) => o.kind)
        .sort(),
    ).toEqual(['ConfigMap', 'Deployment', 'Ingress', 'Kustomization', 'Namespace', 'PersistentVolumeClaim', 'Secret', 'Service']);
  });

  it('the Deployment probes /live and /ready, limits resources, runs as uid 10001 with a read-only root and a pinned image', () => {
    const deployment = k8sObjects().find((o) => o.kind === 'Deployment')!;
    const pod = deployment.spec!.template!.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    const [c] = pod.containers;
    expect([c.livenessProbe.httpGet.path, c.readinessProbe.httpGet.path]).toEqual(['/live', '/ready']);
    expect(Object.keys(c.resources.limits).sort()).toEqual(['cpu', 'memory']);
    expect(Object.keys(c.resources.requests).sort()).toEqual(['cpu', 'memory']);
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(c.image).toMatch(/:\d+\.\d+\.\d+$/);
    expect(c.args).toEqual(['--config', '/etc/ffe/config.yaml', 'serve']);
  });

  it('the ConfigMap and Secret set only configuration settings, with paper trading and manual approval', () => {
    const objects = k8sObjects();
    const config = objects.find((o) => o.kind === 'ConfigMap')!.data!;
    expect([config.TRADING_MODE, config.AGENT_APPROVAL]).toEqual(['paper', 'manual']);
    const secret = objects.find((o) => o.kind === 'Secret') as K8sObject & { stringData: Record<string, string> };
    const names = [...Object.keys(config).filter((k) => k !== 'config.yaml'), ...Object.keys(secret.stringData)];
    expect(unknownEnvNames(names)).toEqual([]);
  });
});

describe('deploy/helm/ffe (no helm binary here: structure checked, not rendered)', () => {
  const templates = filesUnder(join(CHART, 'templates'), /\.(yaml|tpl)$/);
  const values = parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as Record<string, unknown>;

  it('Chart.yaml is a v2 application chart and the templates cover the k8s objects', () => {
    expect(parse(readFileSync(join(CHART, 'Chart.yaml'), 'utf8'))).toMatchObject({ apiVersion: 'v2', name: 'ffe', type: 'application' });
    const kinds = templates.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/^kind: (\w+)$/gm)].map((m) => m[1])).sort();
    expect(kinds).toEqual(['ConfigMap', 'Deployment', 'Ingress', 'PersistentVolumeClaim', 'Secret', 'Service']);
  });

  it('every .Values path a template reads exists in values.yaml (a typo renders as empty in helm)', () => {
    const missing: string[] = [];
    for (const f of templates) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\.Values((?:\.\w+)+)/g)) {
        let node: unknown = values;
        for (const key of m[1].slice(1).split('.')) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
        if (node === undefined) missing.push(`${f}: .Values${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('actions are balanced: {{ with }}, and every if/range/define/with closed by an end', () => {
    for (const f of templates) {
      const text = readFileSync(f, 'utf8');
      expect(text.split('{{').length, f).toBe(text.split('}}').length);
      const actions = [...text.matchAll(/\{\{-?\s*(\w+)/g)].map((m) => m[1]);
      const opened = actions.filter((a) => ['if', 'range', 'define', 'with'].includes(a)).length;
      expect(actions.filter((a) => a === 'end').length, f).toBe(opened);
    }
  });

  it('the Deployment template probes /live and /ready and takes its resources from values', () => {
    const text = readFileSync(join(CHART, 'templates/deployment.yaml'), 'utf8');
    expect(text).toMatch(/livenessProbe:\s+httpGet:\s+path: \/live/);
    expect(text).toMatch(/readinessProbe:\s+httpGet:\s+path: \/ready/);
    expect(text).toContain('toYaml .Values.resources');
    expect((values.env as Record<string, string>).TRADING_MODE).toBe('paper');
    expect(unknownEnvNames(Object.keys(values.env as object))).toEqual([]);
  });
});

describe('deploy/compose/prometheus.yml (promtool)', () => {
  it('passes promtool check config with the ops/ rules and a key file where the compose secret is mounted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ffe-compose-prom-'));
    writeFileSync(join(dir, 'key'), 'ffe_test_key\n');
    const shipped = readFileSync(join(DEPLOY, 'compose/prometheus.yml'), 'utf8');
    expect(shipped).toContain('/run/secrets/prometheus_ffe_key');
    writeFileSync(join(dir, 'prometheus.yml'), shipped.replace('/run/secrets/prometheus_ffe_key', join(dir, 'key')).replace('rules/*.yml', join(RULES_DIR, '*.yml')));
    const r = runTool('promtool', ['check', 'config', join(dir, 'prometheus.yml')]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/SUCCESS: \d+ rules found/);
  });
});
