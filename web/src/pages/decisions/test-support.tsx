/** Test harness for the Decisions and Feedback pages: real ApiClient over a scripted fetch, a session of a given role, a live feed the test drives. */
import type { ReactNode } from 'react';
import { ApiClient } from '../../lib/api';
import { ServicesProvider } from '../../lib/context';
import { LiveFeed, type LiveEvent } from '../../lib/live';
import type { Role } from '../../lib/roles';
import { Session } from '../../lib/session';

export class TestLive extends LiveFeed {
  private readonly handlers = new Set<(e: LiveEvent) => void>();
  private seqNo = 0;
  constructor() {
    super({ token: () => null });
  }
  override start(): void {}
  override stop(): void {}
  override onEvent(listener: (e: LiveEvent) => void): () => void {
    this.handlers.add(listener);
    return () => void this.handlers.delete(listener);
  }
  emit(type: string, payload: Record<string, unknown> = {}): void {
    const e = { seq: ++this.seqNo, type, at: new Date().toISOString(), payload };
    for (const h of this.handlers) h(e);
  }
}

export interface Call {
  method: string;
  path: string;
  body: unknown;
}

/** Answers by "METHOD /path" (query excluded) or a function of the call; records every call. */
export function scriptedFetch(answer: (c: Call) => { status?: number; body: unknown }): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const f = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const c: Call = { method: init?.method ?? 'GET', path: String(input), body: init?.body ? JSON.parse(String(init.body)) : undefined };
    calls.push(c);
    const a = answer(c);
    // 204 carries no body (a Response refuses one).
    return new Response(a.status === 204 ? null : JSON.stringify(a.body), { status: a.status ?? 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return { fetch: f, calls };
}

export function harness(role: Role, answer: (c: Call) => { status?: number; body: unknown }) {
  const store = new Map<string, string>([['ffe.session', JSON.stringify({ principal: { kind: 'user', name: 'tess', role }, apiKey: 'k' })]]);
  const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v), removeItem: (k: string) => void store.delete(k) } as unknown as Storage;
  const session = new Session({ storage });
  const { fetch, calls } = scriptedFetch(answer);
  const api = new ApiClient(session, '', fetch);
  const live = new TestLive();
  const wrap = ({ children }: { children: ReactNode }) => <ServicesProvider services={{ session, api, live }}>{children}</ServicesProvider>;
  return { calls, live, wrap };
}

/** The path and query of a call. */
export const parse = (c: Call) => {
  const u = new URL(c.path, 'http://x');
  return { path: u.pathname, query: Object.fromEntries(u.searchParams) };
};

/** jsdom has <dialog> without its methods: open and close it by the attribute, as a browser would. Call in beforeAll. */
export function dialogPolyfill(): void {
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.removeAttribute('open');
  };
}
