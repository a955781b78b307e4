import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FfeApi } from '../../application/api.js';
import { LOCAL_OPERATOR } from '../../application/auth/principal.js';
import { configHome } from '../../../test/support/config-home.js';
import { buildServer } from './server.js';
import { productionOptions } from './wiring.js';

/** The API as `ffe serve` runs it (real users, keys, tokens and audit log) over real HTTP on loopback. */
let api: FfeApi;
let app: FastifyInstance;
let url: string;
const keys: Record<string, string> = {};

const call = async (method: string, path: string, o: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
  const res = await fetch(url + path, {
    method,
    headers: { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}), ...o.headers },
    body: o.body !== undefined ? JSON.stringify(o.body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, any>) : {}, text };
};

beforeAll(async () => {
  api = await FfeApi.open(configHome(''));
  await api.auth.createUser({ name: 'alice', role: 'admin', password: 'correct horse battery staple' }, LOCAL_OPERATOR);
  for (const role of ['viewer', 'trader', 'auditor'] as const) keys[role] = (await api.auth.createApiKey({ name: `${role}-key`, role }, LOCAL_OPERATOR)).key;
  app = buildServer(api, productionOptions(api, { settings: { ...api.system.serverSettings(), rateLimit: { max: 10_000, windowSeconds: 60 } } }));
  url = await app.listen({ host: '127.0.0.1', port: 0 });
}, 60_000);
afterAll(async () => {
  await app?.close();
  await api?.close();
});

describe('logging in', () => {
  it('login gives an access token that works and a refresh token that rotates; a spent one coming back revokes the login', async () => {
    const bad = await call('POST', '/api/v1/auth/login', { body: { name: 'alice', password: 'wrong' } });
    expect(bad.status).toBe(401);
    expect(bad.body.error.code).toBe('LOGIN_FAILED');
    // The growing delay refuses the next attempt at once, even with the right password.
    const early = await call('POST', '/api/v1/auth/login', { body: { name: 'alice', password: 'correct horse battery staple' } });
    expect(early.status).toBe(429);
    await new Promise((r) => setTimeout(r, 1100));
    const ok = await call('POST', '/api/v1/auth/login', { body: { name: 'alice', password: 'correct horse battery staple' } });
    expect(ok.status).toBe(200);
    expect(ok.body.token_type).toBe('Bearer');
    expect(ok.text).not.toContain('correct horse');
    const me = await call('GET', '/api/v1/auth/me', { token: ok.body.access_token });
    expect(me.body).toEqual({ kind: 'user', name: 'alice', role: 'admin' });

    const next = await call('POST', '/api/v1/auth/refresh', { body: { refresh_token: ok.body.refresh_token } });
    expect(next.status).toBe(200);
    expect(next.body.refresh_token).not.toBe(ok.body.refresh_token);
    const replay = await call('POST', '/api/v1/auth/refresh', { body: { refresh_token: ok.body.refresh_token } });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('REFRESH_REUSED');
    // The whole family is gone: the rotated token no longer refreshes either.
    expect((await call('POST', '/api/v1/auth/refresh', { body: { refresh_token: next.body.refresh_token } })).status).toBe(401);
  });

  it('a revoked API key is refused at once; a wrong one is 401 in the error shape', async () => {
    const k = await api.auth.createApiKey({ name: 'temp', role: 'viewer' }, LOCAL_OPERATOR);
    expect((await call('GET', '/api/v1/bot/status', { token: k.key })).status).toBe(200);
    await api.auth.revokeApiKey(k.id, LOCAL_OPERATOR);
    const r = await call('GET', '/api/v1/bot/status', { token: k.key });
    expect(r.status).toBe(401);
    expect(typeof r.body.error.request_id).toBe('string');
    expect(r.text).not.toContain(k.key);
  });
});

describe('roles over real keys', () => {
  it('a viewer reads but cannot trade; an auditor reads only the audit log; a trader trades but cannot start the bot', async () => {
    expect((await call('GET', '/api/v1/bot/status', { token: keys.viewer })).status).toBe(200);
    const v = await call('POST', '/api/v1/bot/manual-trade', { token: keys.viewer, body: { asset_pair: 'BTCUSD', action: 'BUY', size: 0.01 } });
    expect(v.status).toBe(403);
    expect(v.body.error.message).toContain('trader');
    expect((await call('GET', '/api/v1/bot/status', { token: keys.auditor })).status).toBe(403);
    expect((await call('GET', '/api/v1/audit', { token: keys.auditor })).status).toBe(200);
    expect((await call('POST', '/api/v1/bot/start', { token: keys.trader, body: { dry_run: true } })).status).toBe(403);
  });
});

describe('manual trades with an Idempotency-Key', () => {
  it('a retried request places one order and answers the same; the same key with another body is 409', async () => {
    const trade = { asset_pair: 'BTCUSD', action: 'BUY', size: 0.01 };
    const headers = { 'idempotency-key': 'retry-1' };
    const first = await call('POST', '/api/v1/bot/manual-trade', { token: keys.trader, body: trade, headers });
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('filled');
    const again = await call('POST', '/api/v1/bot/manual-trade', { token: keys.trader, body: trade, headers });
    expect(again.body).toEqual(first.body);
    const positions = await call('GET', '/api/v1/bot/positions', { token: keys.viewer });
    expect(positions.body.positions.filter((p: { asset_pair: string }) => p.asset_pair === 'BTCUSD')).toHaveLength(1);
    const other = await call('POST', '/api/v1/bot/manual-trade', { token: keys.trader, body: { ...trade, size: 0.02 }, headers });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('IDEMPOTENCY_MISMATCH');
  });
});

describe('the audit log', () => {
  it('holds who did what (trades as their key, refusals as denied, login without the password) and its chain verifies', async () => {
    const all = await call('GET', '/api/v1/audit?limit=500', { token: keys.auditor });
    const entries = all.body.entries as { actor: string; action: string; result: string; params: Record<string, unknown> }[];
    expect(entries.some((e) => e.actor === 'api_key:trader-key' && e.action === 'decision.execute' && e.result === 'ok')).toBe(true);
    expect(entries.some((e) => e.actor === 'api_key:viewer-key' && e.action === 'POST /api/v1/bot/manual-trade' && e.result === 'denied')).toBe(true);
    const logins = entries.filter((e) => e.action === 'auth.login');
    expect(logins.map((e) => e.result)).toEqual(expect.arrayContaining(['ok', 'denied']));
    expect(all.text).not.toContain('correct horse');
    const v = await call('GET', '/api/v1/audit/verify', { token: keys.auditor });
    expect(v.body.ok).toBe(true);
    expect(v.body.checked).toBeGreaterThan(5);
  });
});
