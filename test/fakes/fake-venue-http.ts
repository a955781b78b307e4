/**
 * The HTTP side shared by the fake venues (oanda-server.ts, coinbase-server.ts): a server on
 * 127.0.0.1 that records every request (credentials left out), applies the failure mode, asks
 * the venue to authorize and answer, and persists the venue's book after every change.
 *
 * Modes: `normal`; `http-500`; `unauthorized`; `hang` (never answers); `drop-after-accept`
 * (carries out a POST/PUT, then destroys the socket without answering: an order whose outcome
 * the client cannot know); `slow` (answers after `slowMs`).
 *
 * Imports only node built-ins and decimal.js: launch-fake.mjs transpiles the fakes to run in their own process.
 */
import { Decimal } from 'decimal.js';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { startLoopbackServer } from './loopback-server.js';

export type FakeVenueMode = 'normal' | 'http-500' | 'unauthorized' | 'hang' | 'drop-after-accept' | 'slow';

export interface RecordedVenueRequest {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  /** Lower-case names; `authorization` is left out (it carries the secret). */
  headers: Record<string, string>;
  /** Whether the credentials were accepted. */
  authorized: boolean;
  body: unknown;
  at: number;
  /** Claims of the request's JWT, for venues that authenticate with one. */
  jwt?: Record<string, unknown>;
}

/** A reply: an object body goes out as JSON, a string as text. Venues may throw one from deep inside. */
export interface FakeReply {
  status: number;
  body: unknown;
}

export interface FakeVenueHandlers {
  authorize(req: { method: string; path: string; host: string; headers: IncomingHttpHeaders }): { ok: boolean; claims?: Record<string, unknown> };
  route(req: { method: string; path: string; query: URLSearchParams; body: unknown; base: string; headers: IncomingHttpHeaders; rawQuery: string }): FakeReply;
  unauthorized: FakeReply;
  serverError: FakeReply;
  /** Persists the book; called after every request that may change it. */
  save(): void;
  /** Whether a request changes the book (default: every method but GET); drop-after-accept drops only these. */
  mutates?(req: { method: string; path: string }): boolean;
}

export interface FakeVenueServer {
  url: string;
  requests: RecordedVenueRequest[];
  setMode(mode: FakeVenueMode): void;
  close(): Promise<void>;
}

/** The reply class the fakes return (or throw from deep inside a handler). */
export class HttpReply implements FakeReply {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown> | string,
  ) {}
}

/** Decimal arithmetic of the fakes' books, and its plain text form ("0.3", "0"). */
export const D = Decimal.clone({ precision: 40 });
export type Dec = InstanceType<typeof D>;
export const decText = (d: Dec): string => (d.isZero() ? '0' : d.toFixed());
/** A positive decimal string as the venues send prices and sizes ("0.5", "40000"). */
export const isPositiveDecimal = (v: unknown): v is string => typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) && Number(v) > 0;

const isReply = (x: unknown): x is FakeReply => typeof x === 'object' && x !== null && typeof (x as FakeReply).status === 'number' && 'body' in x;

export async function serveFakeVenue(h: FakeVenueHandlers, opts: { port?: number; mode?: FakeVenueMode; slowMs?: number }): Promise<FakeVenueServer> {
  const requests: RecordedVenueRequest[] = [];
  let mode: FakeVenueMode = opts.mode ?? 'normal';

  const server = await startLoopbackServer(
    (req, bytes, res) => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const method = req.method ?? 'GET';
      const raw = bytes.toString('utf8');
      let body: unknown = null;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        body = raw;
      }
      const auth = h.authorize({ method, path: url.pathname, host: String(req.headers.host), headers: req.headers });
      const query: Record<string, string | string[]> = {};
      for (const k of new Set(url.searchParams.keys())) {
        const all = url.searchParams.getAll(k);
        query[k] = all.length > 1 ? all : all[0];
      }
      const headers = Object.fromEntries(
        Object.entries(req.headers)
          .filter(([k]) => k !== 'authorization')
          .map(([k, v]) => [k, String(v)]),
      );
      requests.push({ method, path: url.pathname, query, headers, authorized: auth.ok, body, at: Date.now(), ...(auth.claims ? { jwt: auth.claims } : {}) });
      const send = (r: FakeReply) => {
        const text = typeof r.body === 'string';
        res.writeHead(r.status, { 'content-type': text ? 'text/plain' : 'application/json' });
        res.end(text ? (r.body as string) : JSON.stringify(r.body));
      };
      if (mode === 'hang') return;
      if (mode === 'http-500') return send(h.serverError);
      if (mode === 'unauthorized' || !auth.ok) return send(h.unauthorized);
      let reply: FakeReply;
      try {
        reply = h.route({ method, path: url.pathname, query: url.searchParams, body, base: `http://${req.headers.host}`, headers: req.headers, rawQuery: url.search.slice(1) });
      } catch (e) {
        reply = isReply(e) ? e : { status: 500, body: { error: String(e) } };
      }
      const mutating = h.mutates ? h.mutates({ method, path: url.pathname }) : method !== 'GET';
      if (mutating) h.save();
      if (mode === 'drop-after-accept' && mutating) {
        req.socket.destroy();
        return;
      }
      if (mode === 'slow') setTimeout(() => send(reply), opts.slowMs ?? 300);
      else send(reply);
    },
    { port: opts.port },
  );
  return {
    url: server.url,
    requests,
    setMode: (m) => void (mode = m),
    close: () => server.close(),
  };
}

/** The book from `statePath` when it exists (a restarted fake), else a fresh one. */
export const loadState = <T>(statePath: string | undefined, fresh: () => T): T => (statePath && existsSync(statePath) ? (JSON.parse(readFileSync(statePath, 'utf8')) as T) : fresh());

/** Writes the book atomically (temp file + rename), so a killed fake never leaves half a file. */
export const stateSaver = (statePath: string | undefined, state: unknown) => () => {
  if (!statePath) return;
  writeFileSync(`${statePath}.tmp`, JSON.stringify(state));
  renameSync(`${statePath}.tmp`, statePath);
};
