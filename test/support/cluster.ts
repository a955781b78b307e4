import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { GOOD_ANSWER, type FakeLlmServer } from '../fakes/openai-server.js';
import { call, type Served } from './serve.js';

/**
 * Several `ffe serve` on one data home: the failover e2e test and its bench share these.
 * The agent trades ETHUSD through a fake OpenAI-compatible model every 0.2 s.
 */
export function clusterConfig(cwd: string, o: { llmUrl: string; ttlSeconds: number; redisUrl?: string }): void {
  mkdirSync(join(cwd, 'config'), { recursive: true });
  writeFileSync(
    join(cwd, 'config/config.yaml'),
    `data:
  freshness:
    crypto:
      stale_minutes: null
server:
${o.redisUrl ? `  redis_url: ${o.redisUrl}\n` : ''}  leader_ttl_seconds: ${o.ttlSeconds}
providers:
  gpt:
    kind: openai
    model: m
    base_url: ${o.llmUrl}/v1
agent:
  provider: gpt
  interval_seconds: 0.2
  max_daily_trades: 0
risk:
  max_daily_loss: 0.9
`,
  );
}

/** The model flips between BUY and SELL (confident enough for the gate's volatile-market floor), so the agent keeps opening and closing. */
export function flipAnswers(llm: FakeLlmServer, everyMs = 150): { stop(): void } {
  llm.options.answer = { ...GOOD_ANSWER, confidence: 90 };
  const t = setInterval(() => {
    const a = llm.options.answer as typeof GOOD_ANSWER;
    llm.options.answer = { ...a, action: a.action === 'BUY' ? 'SELL' : 'BUY' };
  }, everyMs);
  return { stop: () => clearInterval(t) };
}

export function query<T>(db: string, sql: string): T[] {
  const h = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return h.prepare(sql).all() as T[];
  } finally {
    h.close();
  }
}

export const intents = (db: string) => query<{ client_order_id: string; state: string; decision_id: string; leg: string }>(db, 'SELECT client_order_id, state, decision_id, leg FROM order_intents ORDER BY rowid');

export async function until<T>(what: string, check: () => Promise<T | null | undefined | false>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface ClusterView {
  instance: string;
  role: 'leader' | 'follower';
  leader: string | null;
}

export const status = async (s: Served, key: string) => (await call(s.url, '/api/v1/bot/status', { key })).body as { state: string; uptime_seconds: number; requested_state: string; cluster: ClusterView };
