import { ApiClient, ApiError, type Credential } from './api';
import type { Role } from './roles';

export interface Principal {
  kind: string;
  name: string;
  role: Role;
}

interface Tokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  principal: Principal;
}

/** What survives a reload of the tab (sessionStorage: gone when the tab closes). Access tokens stay in memory only. */
interface Stored {
  principal: Principal;
  refresh?: string;
  apiKey?: string;
}

const KEY = 'ffe.session';

/**
 * The signed-in user: short-lived access token (in memory), its rotating refresh token (in this
 * tab's sessionStorage), or an API key. Refreshes once per expiry, single-flight, so concurrent
 * requests that all see a 401 share one refresh (a spent refresh token coming back would revoke
 * the whole login on the server).
 */
export class Session implements Credential {
  private access: string | null = null;
  private stored: Stored | null = null;
  private refreshing: Promise<string | null> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<() => void>();
  /** Calls that need no token (login, refresh, logout). */
  private readonly anonymous: ApiClient;

  private readonly storage: Storage | null;
  private readonly base: string;

  /** `base`: the server's origin ('' in the browser: same origin); `storage`: sessionStorage by default. */
  constructor(opts: { storage?: Storage | null; base?: string } = {}) {
    this.storage = opts.storage !== undefined ? opts.storage : typeof sessionStorage === 'undefined' ? null : sessionStorage;
    this.base = opts.base ?? '';
    this.anonymous = new ApiClient({ token: () => null, refresh: async () => null }, this.base);
    try {
      const raw = this.storage?.getItem(KEY);
      this.stored = raw ? (JSON.parse(raw) as Stored) : null;
    } catch {
      this.stored = null;
    }
  }

  get principal(): Principal | null {
    return this.stored?.principal ?? null;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  token(): string | null {
    return this.stored?.apiKey ?? this.access;
  }

  async login(name: string, password: string, totp?: string): Promise<Principal> {
    const t = await this.anonymous.post<Tokens>('/api/v1/auth/login', { name, password, ...(totp ? { totp } : {}) });
    this.accept(t);
    return t.principal;
  }

  async loginWithKey(apiKey: string): Promise<Principal> {
    const client = new ApiClient({ token: () => apiKey, refresh: async () => null }, this.base);
    const me = await client.get<Principal>('/api/v1/auth/me');
    this.save({ principal: me, apiKey });
    return me;
  }

  /** After a reload: a new access token from the stored refresh token (or the stored key as is). */
  async restore(): Promise<Principal | null> {
    if (!this.stored) return null;
    if (this.stored.apiKey) return this.stored.principal;
    return (await this.refresh()) ? this.principal : null;
  }

  refresh(): Promise<string | null> {
    if (this.stored?.apiKey) return Promise.resolve(null);
    const refresh = this.stored?.refresh;
    if (!refresh) return Promise.resolve(null);
    this.refreshing ??= this.anonymous
      .post<Tokens>('/api/v1/auth/refresh', { refresh_token: refresh })
      .then((t) => {
        this.accept(t);
        return t.access_token;
      })
      .catch((e: unknown) => {
        // Refused (expired, revoked): signed out. A network failure keeps the session for a retry.
        if (e instanceof ApiError && e.status > 0) this.clear();
        return null;
      })
      .finally(() => void (this.refreshing = null));
    return this.refreshing;
  }

  async logout(): Promise<void> {
    const refresh = this.stored?.refresh;
    this.clear();
    if (refresh) await this.anonymous.post('/api/v1/auth/logout', { refresh_token: refresh }).catch(() => undefined);
  }

  private accept(t: Tokens): void {
    this.access = t.access_token;
    this.save({ principal: t.principal, refresh: t.refresh_token });
    // Refresh a little before expiry so the WebSocket's reconnects and quiet pages keep a valid token.
    if (this.timer) clearTimeout(this.timer);
    const ms = Math.max(5_000, t.expires_in * 1000 * 0.8);
    this.timer = setTimeout(() => void this.refresh(), ms);
  }

  private save(s: Stored): void {
    this.stored = s;
    try {
      this.storage?.setItem(KEY, JSON.stringify(s));
    } catch {
      // private mode or quota: the session lives in memory only
    }
    this.emit();
  }

  private clear(): void {
    this.access = null;
    this.stored = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    try {
      this.storage?.removeItem(KEY);
    } catch {
      // nothing stored
    }
    this.emit();
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}
