import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { startFakeOpenAi, type FakeLlmServer } from '../fakes/openai-server.js';
import { tempCwd } from '../support/cli.js';
import { clusterConfig, flipAnswers, intents, query, status, until } from '../support/cluster.js';
import { freshDatabase } from '../support/postgres.js';
import { redisDatabase } from '../support/redis.js';
import { call, createKey, startServe, type Served } from '../support/serve.js';

// Not the bench's 2 s: on a loaded 2-core CI a leader busy for more than two renewal periods
// (1.3 s) lost a 2-s lease to a live follower (fresh-clone CI on 5ad9e4e: the follower had run the
// agent for 2 s at the first check). A takeover then is correct, but this test checks one planned
// takeover; the bench times failover with 2 s.
const TTL_SECONDS = 5;

/**
 * The failover scenario on one store engine. One test file per engine (failover.sqlite.test.ts,
 * failover.postgres.test.ts) instead of both in one file: each is ~20 s of child processes waiting
 * on leases, and two files run on both workers side by side instead of one after the other.
 */
export function failoverSuite(engine: 'sqlite' | 'postgres'): void {
  let llm: FakeLlmServer | null = null;
  const children: Served[] = [];
  afterAll(async () => {
    for (const s of children) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    await llm?.close();
  });

  describe(`two ffe serve instances on one ${engine} store and one Redis`, () => {
    it('one leader trades; SIGKILLed mid-cycle, the follower takes over through recovery: no order twice, nothing lost from the journal, events reach the other instance', async () => {
      llm ??= await startFakeOpenAi({ delayMs: 0 });
      const flip = flipAnswers(llm);
      const cwd = tempCwd('ffe-failover-');
      const db = engine === 'postgres' ? await freshDatabase(inject('services').postgres, 'ffe_failover') : join(cwd, 'data', 'ffe.db');
      clusterConfig(cwd, { llmUrl: llm.url, ttlSeconds: TTL_SECONDS, redisUrl: await redisDatabase(inject('services').redis), databaseUrl: engine === 'postgres' ? db : undefined });
      const key = await createKey(cwd, 'admin');
      const a = await startServe(cwd);
      children.push(a);
      expect((await status(a, key)).cluster).toMatchObject({ role: 'leader' });
      const b = await startServe(cwd);
      children.push(b);
      const bFirst = await status(b, key);
      expect(bFirst.cluster).toMatchObject({ role: 'follower', leader: (await status(a, key)).cluster.instance });

      // A client of the follower hears what the leader does.
      const seen: { seq: number; type: string }[] = [];
      const ws = new WebSocket(`${b.url.replace(/^http/, 'ws')}/ws?token=${key}`);
      ws.on('message', (m: Buffer) => {
        const e = JSON.parse(m.toString()) as { seq?: number; type: string };
        if (e.seq !== undefined) seen.push({ seq: e.seq, type: e.type });
      });
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });

      // Asked of the follower, done by the leader.
      const started = await call(b.url, '/api/v1/bot/start', { key, method: 'POST', body: { asset_pairs: ['ETHUSD'], autonomous: true } });
      expect(started.status).toBe(200);
      expect(started.body.requested_state).toBe('running');
      await until('the leader to send two orders', async () => (await intents(db)).length >= 2);
      expect((await status(a, key)).uptime_seconds).toBeGreaterThanOrEqual(0);
      expect((await status(b, key)).uptime_seconds).toBe(0);
      await until("the leader's fills to reach the follower's WebSocket client", async () => seen.some((e) => e.type === 'OrderFilled'));

      // Kill the leader right after it journaled a new order intent: mid-cycle.
      const n = (await intents(db)).length;
      await until('a new intent', async () => (await intents(db)).length > n, 30_000);
      a.child.kill('SIGKILL');
      const killedAt = Date.now();
      await a.exited;
      const beforeKill = await intents(db);

      const leader = await until('the follower to lead', async () => ((await status(b, key)).cluster.role === 'leader' ? Date.now() : null));
      await until('the new leader to trade', async () => (await intents(db)).length > beforeKill.length + 1);
      const tradingAt = Date.now();
      console.log(`failover (${engine}): leader SIGKILLed → follower leads in ${leader - killedAt} ms, trades in ${tradingAt - killedAt} ms (lease TTL ${TTL_SECONDS} s)`);

      // The killed instance comes back: a follower now; it runs no agent while the other trades.
      const c = await startServe(cwd);
      children.push(c);
      const cs = await status(c, key);
      expect(cs.cluster).toMatchObject({ role: 'follower', leader: (await status(b, key)).cluster.instance });
      const n2 = (await intents(db)).length;
      await until('two more orders', async () => (await intents(db)).length >= n2 + 2);
      expect((await status(c, key)).uptime_seconds).toBe(0);
      expect((await status(c, key)).state).toBe('running');

      // Stop asked of the follower: the leader's agent stops within its reconcile.
      await call(c.url, '/api/v1/bot/stop', { key, method: 'POST' });
      await until('the agent to stop', async () => (await status(b, key)).state === 'stopped');
      flip.stop();
      ws.close();
      for (const s of [b, c]) s.child.kill('SIGTERM');
      expect(await b.exited).toBe(0);
      expect(await c.exited).toBe(0);

      const after = await intents(db);
      // Nothing lost from the journal: every intent journaled before the kill is still there, and all settled.
      const kept = new Set(after.map((i) => i.client_order_id));
      expect(beforeKill.filter((i) => !kept.has(i.client_order_id))).toEqual([]);
      expect(after.length).toBeGreaterThan(beforeKill.length);
      expect(after.filter((i) => ['INTENT', 'SUBMITTING', 'UNKNOWN'].includes(i.state))).toEqual([]);
      // No order twice at the venue, no decision opened twice.
      expect(await query(db, 'SELECT client_order_id FROM paper_orders GROUP BY client_order_id HAVING COUNT(*) > 1')).toEqual([]);
      expect(await query(db, "SELECT decision_id FROM order_intents WHERE leg = 'open' AND state = 'FILLED' GROUP BY decision_id HAVING COUNT(*) > 1")).toEqual([]);
      // The takeover resumed the run through position recovery.
      expect(Number((await query<{ n: number }>(db, "SELECT COUNT(*) AS n FROM agent_events WHERE kind = 'recovery' AND message LIKE 'reconciled%'"))[0]!.n)).toBeGreaterThanOrEqual(2);
      // The follower's client got events in strictly increasing seq order, none twice.
      expect(seen.every((e, i) => i === 0 || e.seq > seen[i - 1]!.seq)).toBe(true);
    }, 240_000);
  });
}
