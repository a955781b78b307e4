import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * What `ffe --help` (and a command's --help, and `ffe analyze`) loads, recorded by a module resolve
 * hook in the spawned built CLI: a command must not import the heavy modules that only other
 * commands use (they were most of start-up: issue 17). Spawns bin/ffe.js, so it checks the build:
 * both the CLI bundle bin/ffe.js runs (a loaded chunk counts as every module in it, from the
 * bundle's modules.json) and the tsc output it falls back to (FFE_CLI_BUNDLE=off).
 */
const REPO = resolve(import.meta.dirname, '../../..');
const HEAVY = ['bullmq', 'ioredis', 'ccxt', 'undici', 'fastify', 'kysely', 'zod', 'better-sqlite3', 'pg', 'yaml'];
/** What `ffe analyze` on bundled data never needs. */
const NOT_FOR_ANALYZE = [
  'bullmq',
  'ioredis',
  'ccxt',
  'undici',
  'fastify',
  '@fastify/static',
  '@fastify/swagger',
  'pg',
  'grammy',
  'ws',
  'prom-client',
  'tar',
  'ml-random-forest',
  '@sentry/node',
  '@opentelemetry/sdk-node',
  'helmet',
  // Only the use-case groups FfeApi builds on first call use these (auth tokens, TOTP).
  'jose',
  'otpauth',
];

const dir = mkdtempSync(join(tmpdir(), 'ffe-startup-imports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The hook runs off the main thread (module.register) and posts every resolved URL back.
const HOOK = `
import { register } from 'node:module';
import { writeFileSync } from 'node:fs';
const { port1, port2 } = new MessageChannel();
const urls = [];
port1.on('message', (u) => urls.push(u));
port1.unref();
const hooks = 'let port; export function initialize(d) { port = d.port; } export async function resolve(s, c, next) { const r = await next(s, c); port.postMessage(r.url); return r; }';
register('data:text/javascript,' + encodeURIComponent(hooks), { data: { port: port2 }, transferList: [port2] });
process.on('exit', () => writeFileSync(process.env.FFE_IMPORTS_OUT, urls.join('\\n')));
`;
const hook = join(dir, 'record-imports.mjs');
writeFileSync(hook, HOOK);

const BUNDLE = join(REPO, 'dist/src/cli-bundle');
type Build = 'bundle' | 'tsc output';

/**
 * The modules a run of `ffe args` loaded, as file URLs: a bundle chunk stands for the modules it
 * holds. `bundled`: how many of the loaded files were bundle chunks.
 */
function loaded(build: Build, args: string[]): { urls: string[]; bundled: number; status: number | null; stdout: string } {
  const out = join(dir, `${build.replace(/\W/g, '')}_${args.join('_').replace(/\W/g, '')}.txt`);
  const r = spawnSync(process.execPath, ['--import', hook, join(REPO, 'bin/ffe.js'), ...args], {
    cwd: dir,
    env: { ...process.env, FFE_IMPORTS_OUT: out, FFE_HOME: join(dir, 'home'), FFE_CLI_BUNDLE: build === 'bundle' ? 'on' : 'off' },
    encoding: 'utf8',
  });
  const raw = readFileSync(out, 'utf8').split('\n');
  const chunks = raw.filter((u) => u.startsWith(pathToFileURL(BUNDLE).href));
  const modules = chunks.length ? (JSON.parse(readFileSync(join(BUNDLE, 'modules.json'), 'utf8')) as Record<string, string[]>) : {};
  const inChunks = chunks.flatMap((u) => modules[u.slice(u.lastIndexOf('/') + 1)] ?? []).map((m) => pathToFileURL(resolve(REPO, m)).href);
  return { urls: [...raw, ...inChunks], bundled: chunks.length, status: r.status, stdout: r.stdout };
}

/** The npm packages among the URLs (`node_modules/<name>` or `node_modules/@scope/name`). */
const packagesOf = (urls: string[]) => [...new Set(urls.flatMap((u) => [...u.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)].map((m) => m[1])))].sort();

describe.each<Build>(['bundle', 'tsc output'])('start-up (%s): what a command loads', (build) => {
  it('bin/ffe.js runs this build', () => {
    const { bundled, status } = loaded(build, ['--help']);
    expect(status).toBe(0);
    if (build === 'bundle') expect(bundled).toBeGreaterThan(0);
    else expect(bundled).toBe(0);
  });

  for (const args of [['--help'], ['analyze', '--help'], ['backtest', '--help'], ['serve', '--help'], ['config', 'docs', '--help']]) {
    it(`ffe ${args.join(' ')}`, () => {
      const { urls, status, stdout } = loaded(build, args);
      expect(status).toBe(0);
      expect(stdout).toMatch(/Usage: ffe/);
      // The recorder works (it saw the CLI itself and commander) ...
      expect(urls.some((u) => u.endsWith('/interfaces/cli/main.js'))).toBe(true);
      expect(packagesOf(urls)).toContain('commander');
      // ... and nothing heavy was loaded.
      expect(packagesOf(urls).filter((p) => HEAVY.includes(p))).toEqual([]);
      expect(urls.filter((u) => /\/application\/(api|runtime|system)\.js$/.test(u))).toEqual([]);
    });
  }

  it('ffe analyze (bundled data) loads no server, queue, exchange or HTTP-client module', () => {
    const { urls, status, stdout } = loaded(build, ['analyze', 'BTCUSD']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^BTCUSD (BUY|SELL|HOLD) /);
    // It does open the runtime (the store, the config schema) ...
    expect(packagesOf(urls)).toEqual(expect.arrayContaining(['zod', 'kysely', 'better-sqlite3']));
    // ... but nothing only other commands use: servers, queues, exchanges, network clients, tracing, ML training.
    expect(packagesOf(urls).filter((p) => NOT_FOR_ANALYZE.includes(p))).toEqual([]);
    expect(urls.filter((u) => /\/(interfaces\/(http|telegram|notify)|application\/(cluster|backup|metrics|notifications))\/|\/observability\/(tracing|sentry)\.js$/.test(u))).toEqual([]);
    // FfeApi's lazily built groups stay unloaded: analyze calls none of them.
    expect(urls.filter((u) => /\/application\/(auth\/auth|backtests|gdpr\/index|jobs\/index|fundamentals|market|providers)\.js$/.test(u))).toEqual([]);
  });

  it('a command that opens the runtime does load them (the recorder sees lazily imported modules)', () => {
    const { urls, status } = loaded(build, ['status', '--json']);
    expect(status).toBe(0);
    expect(packagesOf(urls)).toEqual(expect.arrayContaining(['zod', 'kysely']));
  });
});
