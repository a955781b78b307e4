/**
 * A stand-in for `ffe serve`'s REST API, for the `ffe-ctl` tests until the end-to-end test against
 * the real server lands: a real HTTP server on 127.0.0.1 that replays the wire contract of issue 12
 * (JSON, snake_case, `Authorization: Bearer`, errors as `{error: {code, message, fields?,
 * request_id}}`). It holds just enough state to answer: users and API keys with roles, rotating
 * refresh tokens, an Idempotency-Key table for manual trades, backtest jobs that finish after a few
 * polls. It records every request so tests can check what `ffe-ctl` sent.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const LEVEL = { viewer: 0, analyst: 1, trader: 2, operator: 3, admin: 4 } as const;
type Role = keyof typeof LEVEL | 'auditor';
type Need = keyof typeof LEVEL | 'audit';

export interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  auth: string | null;
  idempotencyKey: string | null;
  contentType: string | null;
  body: unknown;
}

export interface FakeFfeApi {
  url: string;
  requests: Recorded[];
  /** Orders actually placed by manual-trade (an Idempotency-Key replay places none). */
  ordersPlaced: number;
  /** Every access token issued so far answers 401 AUTH_EXPIRED from now on. */
  expireAccessTokens(): void;
  /** The next request of this path (once) fails its connection, as a dropped socket would. */
  dropNext(path: string): void;
  /** The next request of this path (once) answers this error instead (429, 500...). */
  failNext(path: string, status: number, code: string, message: string): void;
  ready: boolean;
  close(): Promise<void>;
}

export const USERS = { alice: { password: 'correct horse battery', role: 'operator' as Role, totp: null as string | null }, root: { password: 'root password 1', role: 'admin' as Role, totp: '123456' } };
export const KEYS: Record<string, Role> = { ffe_k_viewer_5b1f2c: 'viewer', ffe_k_trader_77a0c1: 'trader', ffe_k_operator_4d2e9a: 'operator', ffe_k_auditor_9c3b7f: 'auditor' };

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
  }
}

const DECISIONS = Array.from({ length: 5 }, (_, i) => ({
  id: `dec_${i + 1}`,
  asset_pair: i % 2 ? 'ETHUSD' : 'BTCUSD',
  action: ['BUY', 'SELL', 'HOLD'][i % 3],
  confidence: 70 + i,
  suggested_size: 0.0123456789,
  entry_price: 64_250.5 + i,
  created_at: Date.UTC(2024, 2, 1, 12, i),
  reasoning: { summary: `trend ${i}`, signals: ['rsi', 'macd'] },
}));

export async function startFakeFfeApi(): Promise<FakeFfeApi> {
  const access = new Map<string, { role: Role; expired: boolean }>();
  const refresh = new Map<string, Role>();
  const idempotent = new Map<string, unknown>();
  const jobs = new Map<string, { kind: string; polls: number; cancelled: boolean; params: unknown }>();
  const drops = new Set<string>();
  const failures = new Map<string, { status: number; code: string; message: string }>();
  let positions = [{ id: 'pos_1', asset_pair: 'BTCUSD', side: 'LONG', size: 0.05, entry_price: 64000, current_price: 64500.25, unrealized_pnl: 25.0125, opened_at: Date.UTC(2024, 2, 1) }];
  let state = 'stopped';

  const issue = (role: Role) => {
    const a = `at_${randomUUID()}`;
    const r = `rt_${randomUUID()}`;
    access.set(a, { role, expired: false });
    refresh.set(r, role);
    return { access_token: a, refresh_token: r, token_type: 'Bearer', expires_in: 900 };
  };

  function principal(req: IncomingMessage): Role {
    const h = req.headers.authorization;
    if (!h?.startsWith('Bearer ')) throw new HttpError(401, 'AUTH_REQUIRED', 'authentication required');
    const token = h.slice(7);
    if (KEYS[token]) return KEYS[token];
    const t = access.get(token);
    if (!t) throw new HttpError(401, 'AUTH_INVALID', 'invalid API key or token');
    if (t.expired) throw new HttpError(401, 'AUTH_EXPIRED', 'access token expired');
    return t.role;
  }

  function allow(role: Role, need: Need): void {
    const ok = need === 'audit' ? role === 'auditor' || role === 'admin' : role !== 'auditor' && LEVEL[role] >= LEVEL[need];
    if (!ok) throw new HttpError(403, 'FORBIDDEN', `this needs the ${need === 'audit' ? 'auditor or admin' : need} role (you are ${role})`);
  }

  function route(method: string, path: string, query: Record<string, string>, body: Record<string, unknown>, req: IncomingMessage): [number, unknown] {
    const need = (n: Need) => allow(principal(req), n);
    const seg = path.split('/').filter(Boolean).slice(2); // after /api/v1
    const key = `${method} ${seg.map((s, i) => (i > 0 && /^(pos|dec|job)_|^[0-9a-f-]{36}$/.test(s) ? ':id' : s)).join('/')}`;
    const id = decodeURIComponent(seg.find((s, i) => i > 0 && /^(pos|dec|job)_|^[0-9a-f-]{36}$/.test(s)) ?? '');
    switch (key) {
      case 'POST auth/login': {
        const u = USERS[body.name as keyof typeof USERS];
        if (!u || u.password !== body.password) throw new HttpError(401, 'AUTH_INVALID', 'wrong name or password');
        if (u.totp && !body.totp) throw new HttpError(401, 'MFA_REQUIRED', 'a TOTP code is required for this user');
        if (u.totp && body.totp !== u.totp) throw new HttpError(401, 'MFA_INVALID', 'wrong TOTP code');
        return [200, issue(u.role)];
      }
      case 'POST auth/refresh': {
        const role = refresh.get(String(body.refresh_token));
        if (!role) throw new HttpError(401, 'AUTH_INVALID', 'refresh token revoked or unknown');
        refresh.delete(String(body.refresh_token)); // rotation: a refresh token is spent once
        return [200, issue(role)];
      }
      case 'POST auth/logout':
        principal(req);
        refresh.delete(String(body.refresh_token));
        return [204, null];
      case 'POST bot/start':
        need('operator');
        state = 'running';
        return [200, { state, asset_pairs: body.asset_pairs ?? ['BTCUSD'], dry_run: body.dry_run ?? false, autonomous: body.autonomous ?? true }];
      case 'POST bot/stop':
        need('operator');
        state = 'stopped';
        return [200, { state }];
      case 'POST bot/emergency-stop': {
        need('operator');
        state = 'emergency_stopped';
        const closed = query.close_positions === 'true' ? positions.length : 0;
        if (closed) positions = [];
        return [200, { state, positions_closed: closed }];
      }
      case 'GET bot/status':
        need('viewer');
        return [
          200,
          {
            state,
            ooda_state: 'OBSERVE',
            uptime_s: 3723,
            trades: 3,
            positions: positions.length,
            portfolio_value: 10234.5678,
            daily_pnl: -12.3,
            last_decision: DECISIONS[0],
            config: { stop_loss_pct: 0.02, position_size_pct: 0.01, provider_weights: { rules: 0.6, ollama: 0.4 } },
          },
        ];
      case 'PATCH bot/config': {
        need('operator');
        const bad: Record<string, string> = {};
        if (body.stop_loss_pct !== undefined && !(typeof body.stop_loss_pct === 'number' && body.stop_loss_pct > 0 && body.stop_loss_pct < 0.5)) bad.stop_loss_pct = 'must be between 0 and 0.5';
        if (Object.keys(bad).length) throw new HttpError(400, 'CONFIG_INVALID', 'invalid bot config', bad);
        return [200, { applied: body }];
      }
      case 'GET bot/positions':
        need('viewer');
        return [200, { positions }];
      case 'POST bot/positions/:id/close': {
        need('trader');
        const p = positions.find((x) => x.id === id);
        if (!p) throw new HttpError(404, 'POSITION_NOT_FOUND', `no open position ${id}`);
        positions = positions.filter((x) => x !== p);
        return [200, { closed: p, realized_pnl: 25.01 }];
      }
      case 'POST bot/manual-trade': {
        need('trader');
        const k = req.headers['idempotency-key'];
        if (typeof k !== 'string') throw new HttpError(400, 'IDEMPOTENCY_KEY_REQUIRED', 'Idempotency-Key header required', { 'idempotency-key': 'required' });
        if (!idempotent.has(k)) {
          fake.ordersPlaced++;
          idempotent.set(k, { order_id: `ord_${fake.ordersPlaced}`, status: 'FILLED', asset_pair: body.asset_pair, action: body.action, size: body.size, fill_price: 64321.123456 });
        }
        return [200, idempotent.get(k)];
      }
      case 'POST decisions':
        need('analyst');
        return [201, { ...DECISIONS[0], id: 'dec_new', asset_pair: body.asset_pair, provider: body.provider ?? 'ensemble' }];
      case 'GET decisions': {
        need('viewer');
        const all = DECISIONS.filter((d) => !query.asset || d.asset_pair === query.asset);
        const start = query.cursor ? Number(query.cursor) : 0;
        const limit = query.limit ? Number(query.limit) : 50;
        const page = all.slice(start, start + limit);
        return [200, { decisions: page, next_cursor: start + limit < all.length ? String(start + limit) : null }];
      }
      case 'GET decisions/:id': {
        need('viewer');
        const d = DECISIONS.find((x) => x.id === id);
        if (!d) throw new HttpError(404, 'DECISION_NOT_FOUND', `no decision ${id}`);
        return [200, d];
      }
      case 'GET approvals':
        need('viewer');
        return [200, { approvals: [{ decision_id: 'dec_2', status: 'pending', asset_pair: 'ETHUSD', action: 'SELL', expires_at: Date.UTC(2024, 2, 1, 13) }] }];
      case 'POST approvals/:id':
        need('trader');
        if (id !== 'dec_2') throw new HttpError(409, 'APPROVAL_DECIDED', `decision ${id} was already decided`);
        return [200, { decision_id: id, status: body.status, notes: body.notes ?? null }];
      case 'POST backtests': {
        need('analyst');
        const jid = `job_${jobs.size + 1}`;
        jobs.set(jid, { kind: String(body.kind), polls: 0, cancelled: false, params: body.params });
        return [202, { id: jid, status: 'queued' }];
      }
      case 'GET backtests/:id': {
        need('viewer');
        const j = jobs.get(id);
        if (!j) throw new HttpError(404, 'JOB_NOT_FOUND', `no job ${id}`);
        j.polls++;
        // `polls_to_finish` (a job parameter) makes a job that runs until cancelled, for Ctrl-C tests.
        const finishAt = Number((j.params as Record<string, unknown> | undefined)?.polls_to_finish ?? 3);
        const status = j.cancelled ? 'cancelled' : j.polls >= finishAt ? 'completed' : 'running';
        return [
          200,
          { id, kind: j.kind, status, progress: Math.min(1, j.polls / 3), result: status === 'completed' ? { total_return: 0.1234, sharpe: 1.5, trades: 12, final_equity: 11234.56, params: j.params } : undefined },
        ];
      }
      case 'DELETE backtests/:id': {
        need('analyst');
        const j = jobs.get(id);
        if (!j) throw new HttpError(404, 'JOB_NOT_FOUND', `no job ${id}`);
        j.cancelled = true;
        return [200, { id, status: 'cancelled' }];
      }
      case 'GET audit':
        need('audit');
        return [200, { entries: [{ seq: 1, time: Date.UTC(2024, 2, 1), actor: 'alice', role: 'operator', action: 'bot.start', params: { asset_pairs: ['BTCUSD'] }, result: 'ok' }], next_cursor: null }];
      case 'GET audit/verify':
        need('audit');
        return [200, { ok: true, checked: 1 }];
      default:
        throw new HttpError(404, 'NOT_FOUND', `no route ${method} ${path}`);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = null;
    const rec: Recorded = {
      method: req.method ?? '',
      path: u.pathname,
      query: Object.fromEntries(u.searchParams),
      auth: req.headers.authorization ?? null,
      idempotencyKey: (req.headers['idempotency-key'] as string) ?? null,
      contentType: req.headers['content-type'] ?? null,
      body: null,
    };
    fake.requests.push(rec);
    if (drops.delete(u.pathname)) return void req.socket.destroy();
    const send = (status: number, value: unknown, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type, ...(status === 429 ? { 'retry-after': '7' } : {}) });
      res.end(value === null ? undefined : type === 'application/json' ? JSON.stringify(value) : String(value));
    };
    try {
      if (raw) {
        if (!(req.headers['content-type'] ?? '').includes('application/json')) throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'JSON bodies only');
        body = JSON.parse(raw);
      } else if (req.headers['content-type']?.includes('json')) throw new HttpError(400, 'BODY_EMPTY', "Body cannot be empty when content-type is set to 'application/json'");
      rec.body = body;
      if (u.pathname === '/health') return send(fake.ready ? 200 : 503, { status: fake.ready ? 'ok' : 'degraded', store: 'ok', venues: { paper: 'ok' }, breakers: {} });
      if (u.pathname === '/ready') return send(fake.ready ? 200 : 503, { ready: fake.ready });
      if (u.pathname === '/live') return send(200, { live: true });
      if (u.pathname === '/metrics') {
        allow(principal(req), 'viewer');
        return send(
          200,
          '# HELP ffe_decisions_total Decisions made\n# TYPE ffe_decisions_total counter\nffe_decisions_total{asset_pair="BTCUSD"} 5\n# HELP process_uptime_seconds Uptime\n# TYPE process_uptime_seconds gauge\nprocess_uptime_seconds 12.5\n',
          'text/plain; version=0.0.4',
        );
      }
      if (!u.pathname.startsWith('/api/v1/')) throw new HttpError(404, 'NOT_FOUND', `no route ${u.pathname}`);
      const forced = failures.get(u.pathname);
      if (forced) {
        failures.delete(u.pathname);
        throw new HttpError(forced.status, forced.code, forced.message);
      }
      const [status, value] = route(req.method ?? 'GET', u.pathname, Object.fromEntries(u.searchParams), (body ?? {}) as Record<string, unknown>, req);
      send(status, value);
    } catch (e) {
      const err = e instanceof HttpError ? e : new HttpError(500, 'INTERNAL', 'internal error');
      send(err.status, { error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}), request_id: `req_${fake.requests.length}` } });
    }
  }

  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const fake: FakeFfeApi = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: [],
    ordersPlaced: 0,
    ready: true,
    expireAccessTokens: () => access.forEach((t) => (t.expired = true)),
    dropNext: (path) => drops.add(path),
    failNext: (path, status, code, message) => failures.set(path, { status, code, message }),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
  return fake;
}
