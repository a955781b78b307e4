/**
 * Test support for page tests (jsdom): the services a page uses, over a fake `fetch` answering
 * from a route table and a fake WebSocket the test pushes live events through.
 */
import { ApiClient } from '../../lib/api';
import { LiveFeed } from '../../lib/live';
import type { Role } from '../../lib/roles';
import { Session } from '../../lib/session';

export type Handler = (body: unknown, url: URL) => unknown;

export class FakeSocket {
  static last: FakeSocket | null = null;
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.last = this;
    setTimeout(() => this.onopen?.(), 0);
  }
  send(data: string): void {
    if ((JSON.parse(data) as { type: string }).type === 'auth') setTimeout(() => this.onmessage?.({ data: JSON.stringify({ type: 'subscribed', last_seq: 0 }) }), 0);
  }
  close(): void {
    this.onclose = null;
  }
  /** Delivers a domain event as the server sends it. */
  push(seq: number, type: string, payload: Record<string, unknown>, at = new Date().toISOString()): void {
    this.onmessage?.({ data: JSON.stringify({ seq, type, at, payload }) });
  }
}

export function fakeServices(role: Role, routes: Record<string, Handler>) {
  const calls: string[] = [];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://test');
    const method = init?.method ?? 'GET';
    const key = `${method} ${url.pathname}`;
    calls.push(`${key}${url.search}`);
    const h = routes[key];
    if (!h) return new Response(JSON.stringify({ error: { code: 'NOT_FOUND', message: `no route ${key}`, request_id: 'r' } }), { status: 404 });
    try {
      const body = h(init?.body ? JSON.parse(String(init.body)) : undefined, url);
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    } catch (e) {
      return new Response(JSON.stringify({ error: { code: 'BAD', message: (e as Error).message, request_id: 'r' } }), { status: 400 });
    }
  }) as typeof fetch;
  const store = new Map<string, string>([['ffe.session', JSON.stringify({ principal: { kind: 'api_key', name: `t-${role}`, role }, apiKey: 'key' })]]);
  const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v), removeItem: (k: string) => void store.delete(k) } as Storage;
  const session = new Session({ storage });
  const api = new ApiClient(session, '', fetchImpl);
  const live = new LiveFeed({ token: () => 'key', url: 'ws://test/ws', WebSocketImpl: FakeSocket as unknown as typeof WebSocket });
  return { services: { session, api, live }, calls };
}
