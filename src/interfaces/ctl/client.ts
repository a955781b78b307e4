import { CtlError, exitCodeFor, fieldsText, serverErrorOf } from './errors.js';
import type { Secrets } from './io.js';
import { writeLogin, type SavedLogin } from './token-store.js';

export const DEFAULT_API_URL = 'http://127.0.0.1:8000';
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Where the credential came from, so a refusal can say which one to fix. */
export type Credential = { kind: 'key'; key: string; source: '--api-key' | 'FFE_API_KEY' } | { kind: 'login'; file: string; login: SavedLogin } | { kind: 'none' };

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** Probes and login need no credential; sending one there only spreads it. */
  auth?: boolean;
  /** Let a non-2xx answer through instead of throwing (probes report 503 as a result). */
  acceptAnyStatus?: boolean;
}

export interface ApiResponse {
  status: number;
  body: unknown;
  text: string;
  headers: Headers;
}

/** `http://host:port` without a trailing slash; exit 2 naming the flag when it is not an http(s) URL. */
export function normaliseApiUrl(raw: string, from: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new CtlError(`${from}: "${raw}" is not a URL (e.g. http://127.0.0.1:8000)`, 2);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new CtlError(`${from}: "${raw}" must be an http:// or https:// URL`, 2);
  return u.toString().replace(/\/+$/, '');
}

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
};

/** The system error code under fetch's "fetch failed" (undici wraps it in `cause`, sometimes twice). */
function networkCode(e: unknown): string | undefined {
  let c: unknown = e;
  for (let i = 0; i < 4 && c && typeof c === 'object'; i++) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    c = (c as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Worth one retry with the same Idempotency-Key: the request may never have reached the server. */
const RETRYABLE = new Set(['ECONNRESET', 'UND_ERR_SOCKET']);

/** The FFE API over HTTP: JSON in and out, one credential, a refresh of a saved login on AUTH_EXPIRED. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private credential: Credential,
    private readonly secrets: Secrets,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {
    if (credential.kind === 'key') secrets.add(credential.key);
    if (credential.kind === 'login') secrets.add(credential.login.access_token, credential.login.refresh_token);
  }

  get(path: string, query?: RequestOptions['query']): Promise<unknown> {
    return this.request('GET', path, { query }).then((r) => r.body);
  }
  post(path: string, body?: unknown, opts: Omit<RequestOptions, 'body'> = {}): Promise<unknown> {
    return this.request('POST', path, { ...opts, body }).then((r) => r.body);
  }

  async request(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse> {
    let res = await this.send(method, path, opts);
    if (res.status === 401 && opts.auth !== false && this.credential.kind === 'login' && serverErrorOf(res.body).code === 'AUTH_EXPIRED') {
      await this.refresh();
      // Same headers, so a manual trade's Idempotency-Key is reused: the retry never places a second order.
      res = await this.send(method, path, opts);
    }
    if ((res.status < 200 || res.status >= 300) && !opts.acceptAnyStatus) throw this.failure(res);
    return res;
  }

  private async send(method: string, path: string, opts: RequestOptions, attempt = 0): Promise<ApiResponse> {
    const url = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    const token = opts.auth === false ? undefined : this.credential.kind === 'key' ? this.credential.key : this.credential.kind === 'login' ? this.credential.login.access_token : undefined;
    if (token) headers.authorization = `Bearer ${token}`;
    // A body-less POST carries no content-type: Fastify refuses an empty JSON body.
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    let r: Response;
    try {
      r = await fetch(url, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body), signal: AbortSignal.timeout(this.timeoutMs), redirect: 'manual' });
    } catch (e) {
      const code = networkCode(e);
      if (code && RETRYABLE.has(code) && attempt === 0 && (method === 'GET' || opts.headers?.['idempotency-key'])) return this.send(method, path, opts, 1);
      throw this.unreachable(e, code);
    }
    const text = await r.text();
    let body: unknown = text;
    if ((r.headers.get('content-type') ?? '').includes('json') && text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    return { status: r.status, body, text, headers: r.headers };
  }

  private unreachable(e: unknown, code: string | undefined): CtlError {
    const name = (e as { name?: string })?.name;
    if (name === 'TimeoutError' || name === 'AbortError') return new CtlError(`the FFE server at ${this.baseUrl} did not answer within ${Math.round(this.timeoutMs / 1000)} s (--timeout to wait longer)`, 1);
    const why = code ? (NETWORK_WORDS[code] ?? code) : ((e as Error)?.message ?? String(e));
    return new CtlError(`cannot reach the FFE server at ${this.baseUrl} (${why}); is \`ffe serve\` running?`, 1);
  }

  /** Trades the saved refresh token for a new pair and saves it (the server rotates refresh tokens: the old one is spent). */
  private async refresh(): Promise<void> {
    if (this.credential.kind !== 'login') return;
    const { login, file } = this.credential;
    const res = await this.send('POST', '/api/v1/auth/refresh', { body: { refresh_token: login.refresh_token }, auth: false });
    if (res.status < 200 || res.status >= 300) {
      const e = serverErrorOf(res.body);
      throw new CtlError(`the saved login for ${this.baseUrl} has expired${e.message ? ` (${e.message})` : ''}; run \`ffe-ctl login\` again`, exitCodeFor(e.code, 401), e.code, res.status);
    }
    const t = res.body as Partial<SavedLogin>;
    if (typeof t.access_token !== 'string' || typeof t.refresh_token !== 'string') throw new CtlError('the server answered the token refresh without access_token and refresh_token', 1);
    this.secrets.add(t.access_token, t.refresh_token);
    const next: SavedLogin = { ...login, access_token: t.access_token, refresh_token: t.refresh_token };
    writeLogin(file, next);
    this.credential = { kind: 'login', file, login: next };
  }

  /** One line for a non-2xx answer: who must do what, in the server's words where it gave some. */
  failure(res: ApiResponse): CtlError {
    const e = serverErrorOf(res.body);
    const said = e.message ?? (typeof res.body === 'string' && res.body.trim() ? res.body.trim().split('\n')[0].slice(0, 200) : `HTTP ${res.status}`);
    const code = e.code ? ` [${e.code}]` : '';
    const exit = exitCodeFor(e.code, res.status);
    const mk = (msg: string) => new CtlError(msg, exit, e.code, res.status);
    switch (res.status) {
      case 401:
        return mk(this.unauthorised(said) + code);
      case 403:
        return mk(`permission denied: ${said}${code}`);
      case 400: {
        const f = fieldsText(e.fields);
        return mk(`the server refused the request: ${said}${f ? ` (${f})` : ''}${code}`);
      }
      case 429: {
        const after = res.headers.get('retry-after');
        return mk(`rate limited: ${said}${after ? ` (retry after ${after} s)` : ''}${code}`);
      }
      default:
        if (res.status >= 500) return mk(`the FFE server failed (HTTP ${res.status}): ${said}${code}${e.request_id ? ` (request id ${e.request_id})` : ''}`);
        return mk(`${said}${code}`);
    }
  }

  private unauthorised(said: string): string {
    const c = this.credential;
    if (c.kind === 'none') return `the server needs a credential (${said}): pass --api-key, set FFE_API_KEY or run \`ffe-ctl login\``;
    if (c.kind === 'key') return `the API key from ${c.source} was refused (${said}): it is wrong, revoked or expired; check it, or run \`ffe-ctl login\``;
    return `the saved login was refused (${said}): the token is wrong or expired; run \`ffe-ctl login\` again`;
  }
}
