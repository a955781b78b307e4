/**
 * Failover time: two `ffe serve` on one store, the agent trading every 0.2 s on the leader; the
 * leader is SIGKILLed just after it journals an order intent. Measured from the kill until the
 * follower holds the leader lease, and until it journals its own first order. Median of several
 * trials, with the machine's load. Lease TTL 2 s here (the default is 10 s: add 8 s).
 * No peer is measured: freqtrade and the others run one process per bot and have no failover.
 */
import { join } from 'node:path';
import { availableParallelism, loadavg } from 'node:os';
import { startFakeOpenAi } from '../test/fakes/openai-server.js';
import { tempCwd } from '../test/support/cli.js';
import { clusterConfig, flipAnswers, intents, status, until } from '../test/support/cluster.js';
import { call, createKey, startServe } from '../test/support/serve.js';

const TRIALS = 3;
const TTL_SECONDS = 2;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function trial(llmUrl: string): Promise<{ leadMs: number; tradeMs: number }> {
  const cwd = tempCwd('ffe-failover-bench-');
  const db = join(cwd, 'data', 'ffe.db');
  clusterConfig(cwd, { llmUrl, ttlSeconds: TTL_SECONDS });
  const key = await createKey(cwd, 'admin');
  const a = await startServe(cwd);
  await until('a to lead', async () => (await status(a, key)).cluster.role === 'leader');
  const b = await startServe(cwd);
  try {
    await call(a.url, '/api/v1/bot/start', { key, method: 'POST', body: { asset_pairs: ['ETHUSD'], autonomous: true } });
    await until('two orders', async () => intents(db).length >= 2);
    const n = intents(db).length;
    await until('a new intent', async () => intents(db).length > n);
    a.child.kill('SIGKILL');
    const killed = Date.now();
    await a.exited;
    const before = intents(db).length;
    const led = await until('b to lead', async () => ((await status(b, key)).cluster.role === 'leader' ? Date.now() : null));
    const traded = await until('b to trade', async () => (intents(db).length > before ? Date.now() : null));
    return { leadMs: led - killed, tradeMs: traded - killed };
  } finally {
    for (const s of [a, b]) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
  }
}

export async function run(): Promise<void> {
  console.log(`node ${process.version}; ${availableParallelism()} cores; load average ${loadavg()[0].toFixed(1)} before the run`);
  const llm = await startFakeOpenAi({ delayMs: 0 });
  const flip = flipAnswers(llm);
  const lead: number[] = [];
  const trade: number[] = [];
  try {
    for (let i = 0; i < TRIALS; i++) {
      const t = await trial(llm.url);
      lead.push(t.leadMs);
      trade.push(t.tradeMs);
      console.log(`  trial ${i + 1}: follower leads after ${t.leadMs} ms, first order after ${t.tradeMs} ms`);
    }
  } finally {
    flip.stop();
    await llm.close();
  }
  console.log(`failover (lease TTL ${TTL_SECONDS} s, median of ${TRIALS}): leads after ${median(lead)} ms, trades after ${median(trade)} ms; bound TTL + TTL/3 = ${Math.round(TTL_SECONDS * 1333)} ms to lead`);
  console.log(`load average ${loadavg()[0].toFixed(1)} after the run`);
}
