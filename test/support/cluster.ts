import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { GOOD_ANSWER, type FakeLlmServer } from '../fakes/openai-server.js';
import { call, type Served } from './serve.js';

/**
 * Several `ffe serve` on one data home: the failover e2e test and its bench share these.
 * The agent trades ETHUSD through a fake OpenAI-compatible model every 0.2 s. The rate limit is
 * lifted: `until` polls status every 50 ms with one key, and the default 100 requests a minute
 * answered 429 (a body without `cluster`) a few seconds into a takeover wait.
 */
export function clusterConfig(cwd: string, o: { llmUrl: string; ttlSeconds: number; redisUrl?: string; databaseUrl?: string }): void {
  mkdirSync(join(cwd, 'config'), { recursive: true });
  writeFileSync(
    join(cwd, 'config/config.yaml'),
    `${o.databaseUrl ? `database:\n  url: ${o.databaseUrl}\n` : ''}data:
  freshness:
    crypto:
      stale_minutes: null
server:
${o.redisUrl ? `  redis_url: ${o.redisUrl}\n` : ''}  leader_ttl_seconds: ${o.ttlSeconds}
  rate_limit:
    max: 100000
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

/** Rows of `sql` from the store both instances share: a SQLite file path, or a postgres:// URL. */
export async function query<T>(db: string, sql: string): Promise<T[]> {
  if (/^postgres(ql)?:/.test(db)) {
    const { default: pg } = await import('pg');
    const c = new pg.Client({ connectionString: db });
    await c.connect();
    try {
      return (await c.query(sql)).rows as T[];
    } finally {
      await c.end();
    }
  }
  const h = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return h.prepare(sql).all() as T[];
  } finally {
    h.close();
  }
}

/** The order journal in insertion order (both engines keep a rowid-like order: SQLite's rowid, PostgreSQL's created order). */
export const intents = (db: string) =>
  query<{ client_order_id: string; state: string; decision_id: string; leg: string }>(
    db,
    `SELECT client_order_id, state, decision_id, leg FROM order_intents ORDER BY ${/^postgres/.test(db) ? 'created_at, client_order_id' : 'rowid'}`,
  );

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
