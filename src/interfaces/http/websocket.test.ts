import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FfeApi } from '../../application/api.js';
import type { NewDomainEvent } from '../../core/events.js';
import { configHome } from '../../../test/support/config-home.js';
import { testAuthenticate, tokenFor } from '../../../test/support/http-auth.js';
import { buildServer } from './server.js';
import { WS_CLOSE } from './websocket.js';

interface Frame {
  seq?: number;
  type: string;
  at?: number;
  payload?: Record<string, unknown>;
  last_seq?: number;
}

/** A real `ws` client that queues every frame, so tests wait on frames and closes, not on time. */
class Client {
  readonly frames: Frame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly opened: Promise<void>;
  pings = 0;
  private waiters: (() => void)[] = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      this.frames.push(JSON.parse(String(d)) as Frame);
      this.wake();
    });
    ws.on('ping', () => {
      this.pings++;
      this.wake();
    });
    this.opened = new Promise((res, rej) => {
      ws.once('open', () => res());
      ws.once('error', rej);
    });
    this.closed = new Promise((res) => ws.once('close', (code, reason) => (this.wake(), res({ code, reason: String(reason) }))));
  }
  private wake() {
    for (const w of this.waiters.splice(0)) w();
  }
  /** Resolves once `ok()` holds (checked on every frame, ping and close). */
  async until(ok: () => boolean, what: string): Promise<void> {
    let done = false;
    void this.closed.then(() => (done = true));
    while (!ok()) {
      if (done && !ok()) throw new Error(`closed before ${what}; got ${JSON.stringify(this.frames.slice(-3))}`);
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }
  events(): Frame[] {
    return this.frames.filter((f) => f.seq !== undefined);
  }
  seqs(): number[] {
    return this.events().map((f) => f.seq!);
  }
  subscribed(): Promise<void> {
    return this.until(() => this.frames.some((f) => f.type === 'subscribed'), 'subscribed');
  }
}

let api: FfeApi;
let app: FastifyInstance;
let wsUrl: string;
const MAX_BUFFERED = 64 * 1024;

beforeAll(async () => {
  api = await FfeApi.open(configHome(''));
  app = buildServer(api, {
    authenticate: testAuthenticate,
    settings: { ...api.system.serverSettings(), rateLimit: { max: 100_000, windowSeconds: 60 } },
    websocket: { heartbeatMs: 200, maxBufferedBytes: MAX_BUFFERED },
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  wsUrl = url.replace(/^http/, 'ws') + '/ws';
}, 60_000);
afterAll(async () => {
  await app?.close();
  await api?.close();
});

const connect = (query = '', headers: Record<string, string> = {}) => new Client(new WebSocket(wsUrl + query, { headers }));
const progress = (n: number, job = 'job-1'): NewDomainEvent[] => Array.from({ length: n }, (_, i) => ({ type: 'BacktestProgress', at: 1_700_000_000_000 + i, payload: { job_id: job, progress: i / n } }));
const lastSeq = async () => {
  let last = 0;
  for (let page = await api.system.eventsSince(0); page.length; page = await api.system.eventsSince(last)) last = page[page.length - 1].seq;
  return last;
};

describe('WebSocket /ws authentication', () => {
  it('accepts ?token=, the Authorization header and a first {type: auth} message', async () => {
    for (const c of [connect(`?token=${tokenFor('viewer')}`), connect('', { authorization: `Bearer ${tokenFor('viewer')}` })]) {
      await c.subscribed();
      c.ws.close();
    }
    const m = connect();
    await m.opened;
    m.ws.send(JSON.stringify({ type: 'auth', token: tokenFor('trader') }));
    await m.subscribed();
    const before = m.events().length;
    await api.runtime.emit(progress(1, 'after-auth'));
    await m.until(() => m.events().length > before, 'a live event');
    expect(m.events().at(-1)?.payload).toMatchObject({ job_id: 'after-auth' });
    m.ws.close();
  });

  it('closes 4401 for a bad token (query, header or message) and 4403 for a role without read (auditor)', async () => {
    expect((await connect('?token=nope').closed).code).toBe(WS_CLOSE.unauthorized);
    expect((await connect('', { authorization: 'Bearer nope' }).closed).code).toBe(WS_CLOSE.unauthorized);
    const m = connect();
    await m.opened;
    m.ws.send(JSON.stringify({ type: 'auth', token: 'nope' }));
    expect((await m.closed).code).toBe(WS_CLOSE.unauthorized);
    const garbage = connect();
    await garbage.opened;
    garbage.ws.send('not json');
    expect((await garbage.closed).code).toBe(WS_CLOSE.unauthorized);
    const auditor = await connect(`?token=${tokenFor('auditor')}`).closed;
    expect(auditor.code).toBe(WS_CLOSE.forbidden);
    expect(auditor.reason).toContain('read');
    expect((await connect(`?token=${tokenFor('viewer')}&types=Nope`).closed).code).toBe(WS_CLOSE.badRequest);
    expect((await connect(`?token=${tokenFor('viewer')}&after=-1`).closed).code).toBe(WS_CLOSE.badRequest);
  });

  it('a plain HTTP GET /ws is authenticated like any route, then told to upgrade', async () => {
    const http = wsUrl.replace(/^ws/, 'http');
    expect((await fetch(http)).status).toBe(401);
    expect((await fetch(http, { headers: { authorization: `Bearer ${tokenFor('auditor')}` } })).status).toBe(403);
    const ok = await fetch(http, { headers: { authorization: `Bearer ${tokenFor('viewer')}` } });
    expect(ok.status).toBe(426);
  });
});

describe('WebSocket /ws events', () => {
  it('sends {seq, type, at, payload} in seq order; ?types= filters', async () => {
    const all = connect(`?token=${tokenFor('viewer')}`);
    const onlyAgent = connect(`?token=${tokenFor('viewer')}&types=AgentStateChanged`);
    await Promise.all([all.subscribed(), onlyAgent.subscribed()]);
    await api.runtime.emit([...progress(2, 'typed'), { type: 'AgentStateChanged', at: 1, payload: { state: 'running' } }, ...progress(1, 'typed')]);
    await all.until(() => all.events().length >= 4, '4 events');
    await onlyAgent.until(() => onlyAgent.events().length >= 1, '1 event');
    const e = all.events()[0];
    expect(Object.keys(e).sort()).toEqual(['at', 'payload', 'seq', 'type']);
    expect(e).toMatchObject({ type: 'BacktestProgress', payload: { job_id: 'typed' } });
    expect(all.events().map((f) => f.type)).toEqual(['BacktestProgress', 'BacktestProgress', 'AgentStateChanged', 'BacktestProgress']);
    const s = all.seqs();
    expect(s).toEqual([...s].sort((a, b) => a - b));
    // The filtered client got only its type, with the same seq the unfiltered one saw.
    expect(onlyAgent.events().map((f) => [f.type, f.seq])).toEqual([['AgentStateChanged', s[2]]]);
    all.ws.close();
    onlyAgent.ws.close();
  });

  it('resume: reconnect with ?after=<last seq> gets exactly the missed events in order, then live ones', async () => {
    const first = connect(`?token=${tokenFor('viewer')}`);
    await first.subscribed();
    await api.runtime.emit(progress(5, 'r1'));
    await first.until(() => first.events().length >= 5, '5 events');
    const last = first.seqs().at(-1)!;
    first.ws.close();
    await first.closed;
    // Missed while disconnected: more than one catch-up page would hold, of mixed types.
    await api.runtime.emit(progress(1200, 'missed'));
    await api.runtime.emit([{ type: 'AgentStateChanged', at: 2, payload: { state: 'stopped' } }]);
    const expected = (await api.system.eventsSince(last, 1000)).map((e) => e.seq);
    expected.push(...(await api.system.eventsSince(expected.at(-1)!, 1000)).map((e) => e.seq));
    expect(expected.length).toBe(1201);
    const again = connect(`?token=${tokenFor('viewer')}&after=${last}`);
    await again.subscribed();
    expect(again.seqs()).toEqual(expected);
    expect(again.frames.find((f) => f.type === 'subscribed')?.last_seq).toBe(expected.at(-1));
    await api.runtime.emit(progress(2, 'live'));
    await again.until(() => again.events().length >= 1203, 'live events');
    const s = again.seqs();
    expect(new Set(s).size).toBe(s.length);
    expect(s.slice(-2)).toEqual([expected.at(-1)! + 1, expected.at(-1)! + 2]);
    again.ws.close();
  });

  it('real use-case calls reach subscribers: an analysis made over HTTP arrives as DecisionMade', async () => {
    const c = connect(`?token=${tokenFor('viewer')}&types=DecisionMade`);
    await c.subscribed();
    const http = wsUrl.replace(/^ws/, 'http').replace(/\/ws$/, '');
    const res = await fetch(`${http}/api/v1/decisions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokenFor('analyst')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ asset_pair: 'BTCUSD' }),
    });
    expect(res.status).toBe(201);
    const made = (await res.json()) as { decision: { id: string } };
    await c.until(() => c.events().length >= 1, 'DecisionMade');
    expect(c.events()[0].type).toBe('DecisionMade');
    expect(JSON.stringify(c.events()[0].payload)).toContain(made.decision.id);
    c.ws.close();
  });

  it('resume race: events published while the catch-up read is in flight arrive once, in order, with no gap', async () => {
    const start = await lastSeq();
    await api.runtime.emit(progress(10, 'before'));
    const original = api.system.eventsSince;
    let calls = 0;
    let afterEmpty = false;
    // Publish while catch-up reads are in flight: before a read sees the outbox (the page includes
    // them and they are also held: duplicates if not dropped by seq), after a read (the next page
    // has them), and after the final, empty read (only the held copy has them: a gap if dropped).
    api.system.eventsSince = async (after: number, limit?: number) => {
      calls++;
      if (calls === 1) await api.runtime.emit(progress(3, 'during-before-read'));
      const page = await original(after, limit);
      if (calls === 1) await api.runtime.emit(progress(4, 'during-after-read'));
      if (!page.length && !afterEmpty) {
        afterEmpty = true;
        await api.runtime.emit(progress(4, 'after-empty-read'));
      }
      return page;
    };
    try {
      const c = connect(`?token=${tokenFor('viewer')}&after=${start}`);
      await c.subscribed();
      await api.runtime.emit(progress(2, 'live'));
      const end = await lastSeq();
      await c.until(() => c.seqs().at(-1) === end, 'the last event');
      const want = Array.from({ length: end - start }, (_, i) => start + 1 + i);
      expect(end - start).toBe(10 + 3 + 4 + 4 + 2);
      expect(c.seqs()).toEqual(want);
      expect(afterEmpty).toBe(true);
      c.ws.close();
    } finally {
      api.system.eventsSince = original;
    }
  });

  it('heartbeat: the server pings; a peer that stops answering is dropped', async () => {
    const c = connect(`?token=${tokenFor('viewer')}`);
    await c.subscribed();
    await c.until(() => c.pings >= 2, 'two pings');
    // Stop reading (and so answering pings): the server terminates the connection.
    const server = [...app.ffe.streams].at(-1)!;
    c.ws.pause();
    await new Promise<void>((res) => server.once('close', () => res()));
    c.ws.resume();
    await c.closed;
  });

  it('a slow client whose backlog passes the limit is closed 4408 instead of buffered without bound', async () => {
    const before = new Set(app.ffe.streams);
    const c = connect(`?token=${tokenFor('viewer')}`);
    await c.subscribed();
    const server = [...app.ffe.streams].find((s) => !before.has(s))!;
    c.ws.pause();
    const big = { blob: 'x'.repeat(16 * 1024) };
    let rounds = 0;
    while (server.readyState === server.OPEN && rounds < 500) {
      rounds++;
      await api.runtime.emit(Array.from({ length: 20 }, (_, i) => ({ type: 'BacktestProgress' as const, at: i, payload: { job_id: 'flood', ...big } })));
    }
    expect(server.readyState).not.toBe(server.OPEN);
    // The server stopped queuing once over the limit (plus the frame that crossed it).
    expect(server.bufferedAmount).toBeLessThan(MAX_BUFFERED + 64 * 1024);
    c.ws.resume();
    const closed = await c.closed;
    expect(closed.code).toBe(WS_CLOSE.tooSlow);
    expect(closed.reason).toContain('after=');
  }, 60_000);
});
