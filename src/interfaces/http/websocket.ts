import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { WebSocket } from 'ws';
import type { FfeApi } from '../../application/api.js';
import { principalLabel, type Principal } from '../../application/auth/principal.js';
import { eventVisibleTo } from '../../application/investor/owner.js';
import { can } from '../../application/auth/roles.js';
import { DOMAIN_EVENT_TYPES, type DomainEvent, type DomainEventType } from '../../core/events.js';
import { FfeError, isFfeError } from '../../core/errors.js';
import { EVENTS_PAGE_MAX } from '../../application/service.js';
import { authenticateBearer, bearerOf, guardRequest } from './guard.js';
import type { ServerControl } from './control.js';
import type { ServerOptions } from './options.js';
import { wire } from './wire.js';

/** Close codes: 4400 bad subscription, 4401 not authenticated, 4403 role lacks `read`, 4408 too slow (backlog), 4500 server failure. */
export const WS_CLOSE = { badRequest: 4400, unauthorized: 4401, forbidden: 4403, tooSlow: 4408, serverError: 4500 } as const;

/** How long a connection may stay unauthenticated waiting for its `{type: 'auth'}` message. */
const AUTH_WAIT_MS = 10_000;
/** Live events held while a reconnecting client catches up; more and it is dropped (it would never catch up). */
const MAX_HELD = 10_000;

interface Subscription {
  types: ReadonlySet<DomainEventType> | null;
  after: number | null;
}

function subscriptionOf(req: FastifyRequest): Subscription | string {
  const q = new URL(req.url, 'http://x').searchParams;
  let types: Set<DomainEventType> | null = null;
  const t = q.get('types');
  if (t !== null) {
    const names = t
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const unknown = names.filter((n) => !(DOMAIN_EVENT_TYPES as readonly string[]).includes(n));
    if (unknown.length || !names.length) return `types: unknown event type(s) ${unknown.join(', ') || '(none given)'}; known: ${DOMAIN_EVENT_TYPES.join(', ')}`;
    types = new Set(names as DomainEventType[]);
  }
  const a = q.get('after');
  if (a !== null && !/^\d{1,15}$/.test(a)) return 'after: must be the sequence number of the last event received (a whole number ≥ 0)';
  return { types, after: a === null ? null : Number(a) };
}

/**
 * GET /ws: domain events as JSON `{seq, type, at, payload}`, after authentication (`?token=`, the
 * Authorization header, or a first `{type: 'auth', token}` message) with the `read` permission.
 * `?types=A,B` filters; `?after=<seq>` first replays what the outbox holds after seq, then goes
 * live with no gap and no duplicate (live events are held during the catch-up, and those the
 * catch-up already sent are dropped). A client whose unsent backlog grows past the limit is
 * closed (4408) instead of buffered without bound; a heartbeat ping finds dead peers.
 */
export async function registerWebSocket(app: FastifyInstance, api: FfeApi, opts: ServerOptions): Promise<void> {
  const heartbeatMs = opts.websocket?.heartbeatMs ?? 30_000;
  const maxBuffered = opts.websocket?.maxBufferedBytes ?? 8 * 1024 * 1024;
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  // Cast: the plugin's typings make `handler` the socket handler whenever `websocket` is set; with `wsHandler` it is the HTTP one.
  app.route({
    method: 'GET',
    url: '/ws',
    config: { permission: 'read' },
    schema: { summary: 'domain events over WebSocket (?token=, ?types=, ?after=)', tags: ['events'], security: [{ bearer: [] }] },
    // A plain HTTP GET: authenticated like any route, then told to upgrade.
    handler: async (req: FastifyRequest, reply: FastifyReply) => {
      await guardRequest(req, 'read', opts.authenticate);
      return reply
        .code(426)
        .header('upgrade', 'websocket')
        .send({ error: { code: 'REQUEST_INVALID', message: 'connect with a WebSocket upgrade', request_id: req.id } });
    },
    wsHandler: (socket: WebSocket, req: FastifyRequest) => {
      const sub = subscriptionOf(req);
      if (typeof sub === 'string') return socket.close(WS_CLOSE.badRequest, sub.slice(0, 120));
      const closeFor = (e: unknown) => {
        if (isFfeError(e) && e.code === 'FORBIDDEN') socket.close(WS_CLOSE.forbidden, 'forbidden: needs the read permission');
        else if (isFfeError(e) && e.httpStatus < 500) socket.close(WS_CLOSE.unauthorized, 'unauthorized');
        else socket.close(WS_CLOSE.serverError, 'server error');
      };
      const admit = async (token: string | null): Promise<Principal> => {
        const p = await authenticateBearer(token, opts.authenticate);
        if (!can(p.role, 'read')) throw new FfeError('input', 'FORBIDDEN', `${principalLabel(p)} lacks read`);
        return p;
      };
      const token = new URL(req.url, 'http://x').searchParams.get('token') ?? bearerOf(req.headers.authorization);
      if (token) {
        admit(token).then((p) => stream(socket, api, app.ffe, sub, heartbeatMs, maxBuffered, p), closeFor);
        return;
      }
      const timer = setTimeout(() => socket.close(WS_CLOSE.unauthorized, 'unauthorized: no auth message'), AUTH_WAIT_MS);
      socket.once('message', (data) => {
        clearTimeout(timer);
        let msg: { type?: unknown; token?: unknown };
        try {
          msg = JSON.parse(String(data)) as typeof msg;
        } catch {
          msg = {};
        }
        if (msg?.type !== 'auth' || typeof msg.token !== 'string') return socket.close(WS_CLOSE.unauthorized, 'unauthorized: first message must be {type: "auth", token}');
        admit(msg.token).then((p) => stream(socket, api, app.ffe, sub, heartbeatMs, maxBuffered, p), closeFor);
      });
      socket.once('close', () => clearTimeout(timer));
    },
  } as unknown as RouteOptions);
}

/** Streams events to an authenticated socket (see registerWebSocket). */
function stream(socket: WebSocket, api: FfeApi, control: ServerControl, sub: Subscription, heartbeatMs: number, maxBuffered: number, principal: Principal): void {
  if (socket.readyState !== socket.OPEN) return;
  let lastSent = sub.after ?? 0;
  let held: DomainEvent[] | null = sub.after === null ? null : [];
  let closed = false;
  control.streams.add(socket);
  const stop = (code?: number, reason?: string) => {
    if (closed) return;
    closed = true;
    control.streams.delete(socket);
    unsubscribe();
    clearInterval(beat);
    if (code !== undefined && socket.readyState === socket.OPEN) socket.close(code, reason);
  };
  const send = (e: DomainEvent) => {
    if (closed || e.seq <= lastSent) return;
    lastSent = e.seq;
    if (sub.types && !sub.types.has(e.type)) return;
    // A user's recommendation events reach that user only.
    if (!eventVisibleTo(e, principal)) return;
    if (socket.bufferedAmount > maxBuffered) return stop(WS_CLOSE.tooSlow, 'too slow: backlog over the limit; reconnect with ?after=<last seq>');
    socket.send(JSON.stringify({ seq: e.seq, type: e.type, at: e.at, payload: wire(e.payload) }));
  };
  // Every instance's events, in seq order (relayed through the shared store): a client sees the whole system whichever instance it reached.
  const unsubscribe = api.events.subscribe(
    (e) => {
      if (held) {
        held.push(e);
        if (held.length > MAX_HELD) stop(WS_CLOSE.tooSlow, 'too slow: too many events while catching up; reconnect with ?after=<last seq>');
      } else send(e);
    },
    null,
    { everyInstance: true },
  );
  let alive = true;
  socket.on('pong', () => (alive = true));
  const beat = setInterval(() => {
    if (!alive) {
      stop();
      return socket.terminate();
    }
    alive = false;
    socket.ping();
  }, heartbeatMs);
  beat.unref();
  socket.on('close', () => stop());
  // Ignore client messages after auth (no commands over this socket).
  void (async () => {
    try {
      if (held) {
        for (let page = await api.system.eventsSince(lastSent, EVENTS_PAGE_MAX); page.length && !closed; page = await api.system.eventsSince(lastSent, EVENTS_PAGE_MAX)) {
          for (const e of page) send(e);
        }
        // Live events that arrived meanwhile: those the catch-up sent are dropped by seq.
        const h = held;
        held = null;
        for (const e of h) send(e);
      }
      if (!closed) socket.send(JSON.stringify({ type: 'subscribed', last_seq: lastSent }));
    } catch {
      stop(WS_CLOSE.serverError, 'server error while catching up');
    }
  })();
}
