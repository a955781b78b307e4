import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres.js';
import { startRedis } from './redis.js';

/**
 * The outside services the suites need, one entry each. `npm test` provisions them: a missing
 * binary is installed from Debian's packages when running as root (CI, containers), otherwise the
 * run stops with one line naming the install command. Each service runs on 127.0.0.1 in a
 * temporary directory for the whole run and is stopped afterwards; tests read its address with
 * `inject('services').<name>` (see `ProvidedContext` below). To add PostgreSQL, Chromium or
 * another server: one more entry here. Tools that tests start themselves (one instance per test,
 * with its own configuration, e.g. Prometheus loading the rules under test) only need to be
 * installed: they are listed in `TOOLS`.
 */
export interface ToolSpec {
  /** The executable that must be on PATH. */
  binary: string;
  /** Debian packages that provide it. */
  debianPackages: string[];
}

export interface ServiceSpec extends ToolSpec {
  /** The key tests read: `inject('services')[name]`. */
  name: string;
  /** Starts one instance on loopback; resolves once it answers. */
  start(): Promise<{ url: string; stop(): Promise<void> }>;
}

export const SERVICES = [
  // 256 databases: each test file takes its own (see `redisDatabase` in redis.ts), so BullMQ queues never meet.
  { name: 'redis', binary: 'redis-server', debianPackages: ['redis-server'], start: () => startRedis({ databases: 256 }) },
  // Debian keeps the server binaries off PATH (test/support/postgres.ts finds them); pg_ctlcluster comes with the package. Each store test creates a database of its own.
  { name: 'postgres', binary: 'pg_ctlcluster', debianPackages: ['postgresql'], start: () => startPostgres() },
] as const satisfies readonly ServiceSpec[];

/** Installed for the run, started by the tests that use them: ops/ checks (promtool, amtool), the live Prometheus/Alertmanager tests, the dashboard's browser e2e (Debian's chromium driven by playwright-core), and test/deploy's linters and validators. */
export const TOOLS = [
  { binary: 'prometheus', debianPackages: ['prometheus'] },
  { binary: 'promtool', debianPackages: ['prometheus'] },
  { binary: 'prometheus-alertmanager', debianPackages: ['prometheus-alertmanager'] },
  { binary: 'amtool', debianPackages: ['prometheus-alertmanager'] },
  { binary: 'chromium', debianPackages: ['chromium'] },
  // test/deploy: the packaging files checked without a container engine.
  { binary: 'shellcheck', debianPackages: ['shellcheck'] },
  { binary: 'yamllint', debianPackages: ['yamllint'] },
  { binary: 'nginx', debianPackages: ['nginx'] },
  { binary: 'docker-compose', debianPackages: ['docker-compose'] },
  { binary: 'openssl', debianPackages: ['openssl'] },
  { binary: 'curl', debianPackages: ['curl'] },
  { binary: 'systemd-analyze', debianPackages: ['systemd'] },
] as const satisfies readonly ToolSpec[];

export type ServiceName = (typeof SERVICES)[number]['name'];

declare module 'vitest' {
  export interface ProvidedContext {
    /** Service name → URL of the instance this run started. */
    services: Record<ServiceName, string>;
  }
}

const onPath = (binary: string): boolean =>
  (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, binary), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

/** An error vitest prints as the one line it holds (no stack: the stack says nothing to the reader). */
function oneLine(message: string): Error {
  const e = new Error(message);
  e.stack = message;
  return e;
}

/** Installs the Debian packages of the services and tools whose binary is missing, or says how to. */
export function ensureInstalled(specs: readonly ToolSpec[], opts: { isRoot: boolean; run?: (cmd: string, args: string[]) => void } = { isRoot: process.getuid?.() === 0 }): void {
  const missing = specs.filter((s) => !onPath(s.binary));
  if (missing.length === 0) return;
  const packages = [...new Set(missing.flatMap((s) => s.debianPackages))];
  const binaries = missing.map((s) => s.binary).join(', ');
  const command = `apt-get update -qq && apt-get install -y -qq --no-install-recommends ${packages.join(' ')}`;
  if (!opts.isRoot) throw oneLine(`npm test needs ${binaries}: install with: sudo ${command.replaceAll('&& apt-get', '&& sudo apt-get')}`);
  const run = opts.run ?? ((cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }));
  process.stderr.write(`services: installing ${packages.join(' ')} from Debian (${binaries} missing)\n`);
  try {
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages]);
  } catch (e) {
    throw oneLine(`npm test needs ${binaries}; installing failed (${(e as Error).message.split('\n')[0]}): run: ${command}`);
  }
  const still = missing.filter((s) => !onPath(s.binary));
  if (still.length > 0) throw oneLine(`npm test needs ${still.map((s) => s.binary).join(', ')}; apt-get installed ${packages.join(' ')} but it is not on PATH`);
}

/** Vitest global setup: provision, start every service, hand their URLs to the tests, stop them at the end. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  ensureInstalled([...SERVICES, ...TOOLS]);
  const running: { stop(): Promise<void> }[] = [];
  const urls = {} as Record<ServiceName, string>;
  try {
    for (const spec of SERVICES) {
      const s = await spec.start();
      running.push(s);
      urls[spec.name] = s.url;
    }
  } catch (e) {
    await Promise.all(running.map((s) => s.stop()));
    throw e;
  }
  project.provide('services', urls);
  return async () => {
    await Promise.all(running.map((s) => s.stop()));
  };
}
