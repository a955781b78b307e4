import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FfeApi } from '../../../src/application/api';
import { LOCAL_OPERATOR } from '../../../src/application/auth/principal';
import { buildServer } from '../../../src/interfaces/http/server';
import { productionOptions } from '../../../src/interfaces/http/wiring';
import { configHome } from '../../../test/support/config-home';
import { ApiClient, ApiError } from './api';
import { Session } from './session';

/** sessionStorage's interface over a Map (Node has none). */
function memoryStorage(): Storage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (k) => map.get(k) ?? null,
    key: (i) => [...map.keys()][i] ?? null,
    removeItem: (k) => void map.delete(k),
    setItem: (k, v) => void map.set(k, v),
  };
}

let api: FfeApi;
let app: FastifyInstance;
let base: string;
let password: string;
let apiKey: string;

// The browser session against the real server: real logins, refresh-token rotation and revocation.
beforeAll(async () => {
  api = await FfeApi.open(configHome(''));
  password = (await api.auth.createUser({ name: 'ada', role: 'trader' }, LOCAL_OPERATOR)).password!;
  // A user of its own for the wrong password: its growing login delay must not slow the others.
  await api.auth.createUser({ name: 'mallory', role: 'viewer' }, LOCAL_OPERATOR);
  apiKey = (await api.auth.createApiKey({ name: 'dash', role: 'viewer' }, LOCAL_OPERATOR)).key;
  app = buildServer(api, productionOptions(api, { webRoot: null, settings: { ...api.system.serverSettings(), rateLimit: { max: 10_000, windowSeconds: 60 } } }));
  base = await app.listen({ host: '127.0.0.1', port: 0 });
}, 60_000);
afterAll(async () => {
  await app?.close();
  await api?.close();
});

describe('Session (dashboard sign-in) against the real server', () => {
  it('logs in with name and password, calls the API with the access token, keeps only the refresh token stored', async () => {
    const storage = memoryStorage();
    const s = new Session({ storage, base });
    const seen: (string | null)[] = [];
    s.subscribe(() => seen.push(s.principal?.name ?? null));
    const p = await s.login('ada', password);
    expect(p).toMatchObject({ name: 'ada', role: 'trader' });
    expect(seen).toEqual(['ada']);
    const me = await new ApiClient(s, base).get<{ name: string; role: string }>('/api/v1/auth/me');
    expect(me).toMatchObject({ name: 'ada', role: 'trader' });
    const stored = JSON.parse(storage.map.get('ffe.session')!) as Record<string, unknown>;
    expect(Object.keys(stored).sort()).toEqual(['principal', 'refresh']);
    expect(JSON.stringify(stored)).not.toContain(s.token()!);
    await s.logout();
  });

  it('a wrong password is an ApiError with the server message; nothing is stored', async () => {
    const storage = memoryStorage();
    const s = new Session({ storage, base });
    const e = await s.login('mallory', 'wrong-password').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).status).toBe(401);
    expect((e as ApiError).message.length).toBeGreaterThan(5);
    expect(storage.map.size).toBe(0);
    expect(s.principal).toBeNull();
  });

  it('after a reload, restore() gets a new access token from the stored refresh token; a 401 refreshes once, concurrently', async () => {
    const storage = memoryStorage();
    const first = new Session({ storage, base });
    await first.login('ada', password);
    const reloaded = new Session({ storage, base });
    expect(reloaded.token()).toBeNull();
    expect(await reloaded.restore()).toMatchObject({ name: 'ada' });
    expect(reloaded.token()).toBeTruthy();
    const refreshOf = () => (JSON.parse(storage.map.get('ffe.session')!) as { refresh: string }).refresh;
    const before = refreshOf();
    // Three refreshes at once share one server call: a spent refresh token re-used would revoke the login.
    const tokens = await Promise.all([reloaded.refresh(), reloaded.refresh(), reloaded.refresh()]);
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).toBeTruthy();
    // Rotated once: the stored refresh token is new, and the one before it is spent.
    expect(refreshOf()).not.toBe(before);
    expect(await new ApiClient(reloaded, base).get('/api/v1/auth/me')).toMatchObject({ name: 'ada' });
  });

  it('sign-out revokes the refresh token on the server and clears the tab', async () => {
    const storage = memoryStorage();
    const s = new Session({ storage, base });
    await s.login('ada', password);
    const refresh = (JSON.parse(storage.map.get('ffe.session')!) as { refresh: string }).refresh;
    await s.logout();
    expect(storage.map.size).toBe(0);
    expect(s.principal).toBeNull();
    const res = await fetch(`${base}/api/v1/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refresh_token: refresh }) });
    expect(res.status).toBe(401);
  });

  it('signs in with an API key (checked by /auth/me); a bad key is refused and not stored', async () => {
    const storage = memoryStorage();
    const s = new Session({ storage, base });
    expect(await s.loginWithKey(apiKey)).toMatchObject({ role: 'viewer' });
    expect(s.token()).toBe(apiKey);
    const bad = new Session({ storage: memoryStorage(), base });
    await expect(bad.loginWithKey('ffe_not_a_key')).rejects.toMatchObject({ status: 401 });
    expect(bad.principal).toBeNull();
  });
});
