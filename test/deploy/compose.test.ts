import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { envFile, REPO, run, unknownEnvNames } from './support.js';

interface Service {
  restart?: string;
  healthcheck?: { test: string[] | string };
  ports?: (string | { host_ip?: string; published?: number | string })[];
  environment?: Record<string, string>;
  volumes?: (string | { source?: string; target?: string; type?: string })[];
  profiles?: string[];
  depends_on?: Record<string, { condition?: string }> | string[];
  command?: string[] | string;
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const ENV_EXAMPLES = ['.env.example', '.env.dev.example', '.env.staging.example', '.env.production.example'];

/** `docker-compose config` (Debian's docker-compose) on the repository's compose files with an env file: the resolved model. */
function composeConfig(files: string[], env: string, extra: string[] = []): { code: number | null; stderr: string; model?: Compose } {
  const dir = mkdtempSync(join(tmpdir(), 'ffe-compose-'));
  writeFileSync(join(dir, 'env'), env);
  const args = ['--project-directory', REPO, '--env-file', join(dir, 'env'), ...files.flatMap((f) => ['-f', join(REPO, f)]), ...extra, 'config'];
  const r = run('docker-compose', args, { env: { FFE_ENV_FILE: join(dir, 'env') } });
  return { code: r.code, stderr: r.stderr, model: r.code === 0 ? (parse(r.stdout) as Compose) : undefined };
}

const example = (name: string): string => readFileSync(join(REPO, name), 'utf8');

describe('docker-compose files (docker-compose config)', () => {
  it('docker-compose.yml resolves with every env example, and each service restarts and has a health check', () => {
    for (const name of ENV_EXAMPLES) {
      const r = composeConfig(['docker-compose.yml'], example(name), ['--profile', 'full']);
      expect([name, r.code, r.stderr]).toEqual([name, 0, '']);
      const services = r.model!.services;
      expect(Object.keys(services).sort()).toEqual(['alertmanager', 'ffe', 'grafana', 'postgres', 'prometheus', 'redis']);
      for (const [n, s] of Object.entries(services)) {
        expect(s.restart, n).toBe('unless-stopped');
        expect(s.healthcheck?.test, n).toBeTruthy();
      }
      // Named volumes for every stateful service; nothing state-bearing in a bind mount.
      expect(Object.keys(r.model!.volumes ?? {}).sort()).toEqual(['alertmanager-data', 'ffe-backups', 'ffe-data', 'grafana-data', 'postgres-data', 'prometheus-data', 'redis-data']);
      expect(services.redis.profiles).toEqual(['full']);
    }
  });

  it('ffe: probes /ready, waits for a healthy postgres, binds 0.0.0.0 inside and publishes on loopback by default', () => {
    const { model } = composeConfig(['docker-compose.yml'], example('.env.example'));
    const ffe = model!.services.ffe;
    expect(JSON.stringify(ffe.healthcheck!.test)).toContain('/ready');
    expect(ffe.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(ffe.environment?.SERVER_HOST).toBe('0.0.0.0');
    expect(ffe.environment?.DATABASE_URL).toMatch(/^postgres:\/\/ffe:change-me@postgres:5432\/ffe$/);
    const published = JSON.stringify(ffe.ports);
    expect(published).toContain('127.0.0.1');
    // Monitoring ports never on every interface.
    for (const n of ['prometheus', 'alertmanager', 'grafana']) expect(JSON.stringify(model!.services[n].ports), n).toContain('127.0.0.1');
    // Grafana gets the provisioning of ops/ and the compose data source.
    const grafanaMounts = JSON.stringify(model!.services.grafana.volumes);
    for (const p of ['deploy/compose/grafana/datasources.yml', 'ops/grafana/provisioning/dashboards/provider.yml', 'ops/grafana/dashboards']) expect(grafanaMounts).toContain(join(REPO, p));
  });

  it('a missing password stops compose with one line naming it', () => {
    const env = example('.env.example').replace(/^POSTGRES_PASSWORD=.*$/m, '');
    const r = composeConfig(['docker-compose.yml'], env);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('set POSTGRES_PASSWORD in the env file');
  });

  it('docker-compose.dev.yml overrides ffe with the build stage, mounted sources and watch mode', () => {
    const r = composeConfig(['docker-compose.yml', 'docker-compose.dev.yml'], example('.env.dev.example'));
    expect([r.code, r.stderr]).toEqual([0, '']);
    const ffe = r.model!.services.ffe;
    expect(JSON.stringify(ffe.command)).toContain('node --watch bin/ffe.js serve');
    expect(JSON.stringify(ffe.volumes)).toContain('/src/node_modules');
  });
});

describe('env examples', () => {
  it('paper trading and manual approval in every example; production live needs FFE_ALLOW_LIVE=yes, off by default', () => {
    for (const name of ENV_EXAMPLES) {
      const env = envFile(join(REPO, name));
      expect([name, env.get('TRADING_MODE'), env.get('AGENT_APPROVAL')]).toEqual([name, 'paper', 'manual']);
    }
    expect(envFile(join(REPO, '.env.production.example')).get('FFE_ALLOW_LIVE')).toBe('no');
    expect(envFile(join(REPO, '.env.production.example')).get('FFE_IMAGE_TAG')).not.toBe('latest');
  });

  it('each example, with the compose environment, is a valid configuration for the real CLI (ffe config show)', () => {
    const home = mkdtempSync(join(tmpdir(), 'ffe-env-home-'));
    for (const name of ENV_EXAMPLES) {
      const env = { ...Object.fromEntries(envFile(join(REPO, name))), SERVER_HOST: '0.0.0.0', SERVER_PORT: '8000', BACKUP_DIR: join(home, 'backups'), FFE_HOME: home };
      const r = run(join(REPO, 'bin/ffe.js'), ['config', 'show'], { cwd: home, env });
      expect([name, r.code, r.stderr]).toEqual([name, 0, '']);
      expect(r.stdout).toMatch(/^# sources .*env TRADING_MODE, env AGENT_APPROVAL/m);
      expect(r.stdout).toMatch(/^ {2}mode: paper$/m);
    }
  });

  it('every name set in an example or in the compose environment is a configuration setting or a documented deployment variable', () => {
    const names = new Set<string>();
    for (const name of ENV_EXAMPLES) for (const k of envFile(join(REPO, name)).keys()) names.add(k);
    const compose = parse(readFileSync(join(REPO, 'docker-compose.yml'), 'utf8')) as Compose;
    for (const k of Object.keys(compose.services.ffe.environment ?? {})) names.add(k);
    expect(names.size).toBeGreaterThan(10);
    expect(unknownEnvNames(names)).toEqual([]);
  });
});
