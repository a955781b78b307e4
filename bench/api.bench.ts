/**
 * The API server under load, on loopback, against a bare Fastify route measured in the same run:
 * - throughput: `GET /api/v1/bot/status` (API-key auth, role check, the status use case over the
 *   store) and `GET /api/v1/decisions?limit=50` vs a bare route answering a constant;
 * - latency at a fixed 1,000 req/s on the status route (p99 goal: under 10 ms);
 * - WebSocket fan-out: 500 authenticated clients, events published through the store's outbox;
 *   delivery latency from before the write to each client's receipt (p99 goal: under 50 ms).
 * The load generator runs on its own thread (2 cores: one serves, one loads).
 */
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import Fastify from 'fastify';
import { FfeApi } from '../src/application/api.js';
import { LOCAL_OPERATOR } from '../src/application/auth/principal.js';
import { buildServer } from '../src/interfaces/http/server.js';
import { productionOptions } from '../src/interfaces/http/wiring.js';
import type { LoadJob } from './loadgen.js';
import { scratchDir } from './scratch.js';

interface HttpResult {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  total: number;
}

const loadgen = new URL('./loadgen.js', import.meta.url);
const spawnLoad = (job: LoadJob): ChildProcess => fork(loadgen, [JSON.stringify(job)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });

function http(job: Omit<Extract<LoadJob, { kind: 'http' }>, 'kind'>): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const w = spawnLoad({ kind: 'http', ...job });
    w.once('message', (m: HttpResult) => resolve(m));
    w.once('error', reject);
  });
}

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

export async function run(): Promise<void> {
  const cwd = scratchDir('ffe-api-bench-');
  const api = await FfeApi.open({ cwd, env: { FFE_HOME: join(cwd, 'home'), TZ: 'UTC' } });
  const key = (await api.auth.createApiKey({ name: 'bench', role: 'viewer' }, LOCAL_OPERATOR)).key;
  // Decisions to page through: real analyses of the embedded data.
  for (let i = 0; i < 60; i++) await api.trading.analyze(i % 2 ? 'ETHUSD' : 'BTCUSD');
  const app = buildServer(api, productionOptions(api, { settings: { ...api.system.serverSettings(), rateLimit: { max: 100_000_000, windowSeconds: 60 } } }));
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const bare = Fastify();
  bare.get('/bare', async () => ({ ok: true }));
  const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 });
  const auth = { authorization: `Bearer ${key}` };

  console.log(`node ${process.version}; ${availableParallelism()} cores; load average ${loadavg()[0].toFixed(1)} before the run`);
  const seconds = 8;
  const connections = 20;
  const bareR = await http({ url: `${bareUrl}/bare`, headers: {}, seconds, connections });
  const statusR = await http({ url: `${base}/api/v1/bot/status`, headers: auth, seconds, connections });
  const decR = await http({ url: `${base}/api/v1/decisions?limit=50`, headers: auth, seconds, connections });
  const row = (label: string, r: HttpResult) => console.log(`  ${label.padEnd(44)} ${fmt(r.rps).padStart(8)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  non-2xx ${r.non2xx}  errors ${r.errors + r.timeouts}`);
  console.log(`throughput (${connections} connections, ${seconds} s each):`);
  row('bare Fastify route (peer)', bareR);
  row('GET /api/v1/bot/status, API key', statusR);
  row('GET /api/v1/decisions?limit=50, API key', decR);
  console.log(`  ratio status/bare ${(statusR.rps / bareR.rps).toFixed(3)} (goal >= 0.3); decisions/bare ${(decR.rps / bareR.rps).toFixed(3)}`);
  if (statusR.non2xx || decR.non2xx) console.log('  WARNING: non-2xx answers in the measured runs');

  const fixed = await http({ url: `${base}/api/v1/bot/status`, headers: auth, seconds: 10, connections: 20, rate: 1000 });
  console.log(`status at a fixed 1,000 req/s for 10 s: ${fmt(fixed.total)} requests, p50 ${fixed.p50} ms, p99 ${fixed.p99} ms (goal < 10 ms), non-2xx ${fixed.non2xx}`);

  // WebSocket fan-out.
  const clients = 500;
  const events = 100;
  const wsUrl = `${base.replace('http', 'ws')}/ws?token=${encodeURIComponent(key)}`;
  const w = spawnLoad({ kind: 'ws', url: wsUrl, clients });
  await new Promise<void>((resolve, reject) => {
    w.on('message', (m: { ready?: boolean; error?: string }) => (m.ready ? resolve() : m.error ? reject(new Error(m.error)) : undefined));
    w.once('exit', (code) => reject(new Error(`WebSocket clients exited (${code})`)));
    w.once('error', reject);
  });
  for (let i = 0; i < events; i++) {
    await api.runtime.emit([{ type: 'BacktestProgress', at: Date.now(), payload: { bench: i, sent_at: performance.timeOrigin + performance.now() } }]);
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 500));
  const latencies = await new Promise<number[]>((resolve) => {
    w.on('message', (m: { latencies?: number[] }) => m.latencies && resolve(m.latencies));
    w.send({ done: true });
  });
  w.kill();
  latencies.sort((a, b) => a - b);
  console.log(
    `WebSocket fan-out: ${clients} clients x ${events} events = ${fmt(latencies.length)} deliveries of ${fmt(clients * events)}; latency p50 ${pct(latencies, 50).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms (goal < 50 ms), max ${latencies[latencies.length - 1].toFixed(1)} ms`,
  );
  console.log(`load average ${loadavg()[0].toFixed(1)} after the run`);
  await app.close();
  await bare.close();
  await api.close();
}
