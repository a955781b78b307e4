import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { FfeApi } from '../../../src/application/api';
import { buildServer } from '../../../src/interfaces/http/server';
import type { NewDomainEvent } from '../../../src/core/events';
import { configHome } from '../../../test/support/config-home';
import { testAuthenticate, tokenFor } from '../../../test/support/http-auth';
import { backoff, defaultWsUrl, LiveFeed, type LiveEvent, type LiveState } from './live';

let api: FfeApi;
let app: FastifyInstance;
let wsUrl: string;

beforeAll(async () => {
  api = await FfeApi.open(configHome(''));
  app = buildServer(api, { authenticate: testAuthenticate, settings: { ...api.system.serverSettings(), rateLimit: { max: 10_000, windowSeconds: 60 } }, webRoot: null });
  wsUrl = (await app.listen({ host: '127.0.0.1', port: 0 })).replace(/^http/, 'ws') + '/ws';
}, 60_000);
afterAll(async () => {
  await app?.close();
  await api?.close();
});

const progress = (job: string, n: number): NewDomainEvent[] => Array.from({ length: n }, (_, i) => ({ type: 'BacktestProgress', at: Date.now(), payload: { job_id: job, progress: (i + 1) / n } }));

async function until<T>(f: () => T | undefined | false, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function feed(token: () => string | null = () => tokenFor('viewer')) {
  const f = new LiveFeed({ token, url: wsUrl, WebSocketImpl: NodeWebSocket as unknown as typeof WebSocket, baseDelayMs: 50, maxDelayMs: 200 });
  const events: LiveEvent[] = [];
  const states: LiveState[] = [];
  f.onEvent((e) => events.push(e));
  f.onState((s) => states.push(s));
  return { f, events, states };
}

describe('LiveFeed against the real /ws', () => {
  it('authenticates by its first message, goes live, and delivers events as they commit', async () => {
    const { f, events, states } = feed();
    f.start();
    await until(() => f.state === 'live', 'live');
    await api.runtime.emit(progress('a', 3));
    await until(() => events.length === 3, 'three events');
    expect(events.map((e) => e.payload.job_id)).toEqual(['a', 'a', 'a']);
    expect(events.map((e) => e.seq)).toEqual([...events.map((e) => e.seq)].sort((x, y) => x - y));
    expect(states[0]).toBe('connecting');
    expect(states).toContain('live');
    f.stop();
    expect(f.state).toBe('closed');
  });

  it('after the connection drops it reconnects and resumes after its last seq: what it missed arrives once, in order', async () => {
    const { f, events } = feed();
    f.start();
    await until(() => f.state === 'live', 'live');
    await api.runtime.emit(progress('before', 2));
    await until(() => events.length === 2, 'the first two');
    // The server drops every stream; events commit while the client is away.
    for (const s of app.ffe.streams) (s as { terminate(): void }).terminate();
    await until(() => f.state === 'reconnecting', 'reconnecting');
    await api.runtime.emit(progress('missed', 4));
    await until(() => events.length === 6, 'the missed four after reconnecting');
    await until(() => f.state === 'live', 'live again');
    await api.runtime.emit(progress('after', 1));
    await until(() => events.length === 7, 'the live one');
    expect(events.map((e) => e.payload.job_id)).toEqual(['before', 'before', 'missed', 'missed', 'missed', 'missed', 'after']);
    const seqs = events.map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    f.stop();
  });

  it('a refused token keeps it reconnecting (with backoff), never live; a token that becomes valid gets in', async () => {
    let token = 'not-a-token';
    const { f } = feed(() => token);
    f.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(f.state).toBe('reconnecting');
    token = tokenFor('viewer');
    await until(() => f.state === 'live', 'live with a good token');
    f.stop();
  });

  it('backoff doubles to the cap with ±20 % jitter; the URL follows the page scheme', () => {
    expect(backoff(0, 500, 15_000, 0.5)).toBe(500);
    expect(backoff(3, 500, 15_000, 0.5)).toBe(4000);
    expect(backoff(10, 500, 15_000, 0.5)).toBe(15_000);
    expect(backoff(1, 500, 15_000, 0)).toBe(800);
    expect(backoff(1, 500, 15_000, 0.999)).toBeLessThanOrEqual(1200);
    expect(defaultWsUrl({ protocol: 'https:', host: 'ffe.example:443' })).toBe('wss://ffe.example:443/ws');
    expect(defaultWsUrl({ protocol: 'http:', host: '127.0.0.1:8000' })).toBe('ws://127.0.0.1:8000/ws');
  });
});
