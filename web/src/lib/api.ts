/**
 * The dashboard's one way to the REST API: JSON in and out, the bearer credential of the session,
 * one transparent refresh when an access token expired, and every failure as an `ApiError` holding
 * the server's error shape (`{error: {code, message, request_id}}`).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null = null,
  ) {
    super(message);
  }
}

export interface Credential {
  /** The bearer token to send: an access token or an API key. */
  token(): string | null;
  /** Called once after a 401: a new token if the session could refresh, else null (signed out). */
  refresh(): Promise<string | null>;
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

async function errorOf(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string; request_id?: string } };
    if (body?.error?.message) return new ApiError(res.status, body.error.code ?? 'ERROR', body.error.message, body.error.request_id ?? null);
  } catch {
    // not JSON: fall through to the status line
  }
  return new ApiError(res.status, 'HTTP_' + res.status, `${res.status} ${res.statusText || 'request failed'}`);
}

export class ApiClient {
  constructor(
    private readonly credential: Credential,
    private readonly base = '',
    private readonly fetchImpl: typeof fetch = (...a) => fetch(...a),
  ) {}

  async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const send = (token: string | null) =>
      this.fetchImpl(this.base + path, {
        method,
        headers: {
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
    let res: Response;
    try {
      res = await send(this.credential.token());
      if (res.status === 401 && this.credential.token()) {
        const fresh = await this.credential.refresh();
        if (fresh) res = await send(fresh);
      }
    } catch (e) {
      throw new ApiError(0, 'NETWORK', `the server did not answer (${(e as Error).message})`);
    }
    if (!res.ok) throw await errorOf(res);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', withQuery(path, query));
  }
  post<T>(path: string, body: unknown = {}, headers?: Record<string, string>): Promise<T> {
    return this.request<T>('POST', path, body, headers);
  }
  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }
  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }
  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }
}
