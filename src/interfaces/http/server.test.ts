import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FfeApi } from '../../application/api.js';
import { ROLES, can, type Permission } from '../../application/auth/roles.js';
import { configHome } from '../../../test/support/config-home.js';
import { testAuthenticate, tokenFor } from '../../../test/support/http-auth.js';
import { buildServer } from './server.js';
import { defaultWebRoot } from './web.js';

const PROBES_AND_DOCS = /^\/(health|ready|live)$|^\/docs/;
// The dashboard's built files are public like the probes (the app signs in through the API): exactly those files, nothing else.
const isDashboardFile = (url: string) => url === '/' || existsSync(join(defaultWebRoot(), url));
const isPublic = (url: string) => PROBES_AND_DOCS.test(url) || isDashboardFile(url);
let api: FfeApi;
let app: FastifyInstance;
let url: string;
const routes: { method: string; url: string; permission?: Permission | 'anonymous'; methodNotAllowed?: boolean }[] = [];

beforeAll(async () => {
  api = await FfeApi.open(configHome(''));
  app = buildServer(api, { authenticate: testAuthenticate, settings: { ...api.system.serverSettings(), rateLimit: { max: 10_000, windowSeconds: 60 } } });
  app.addHook('onRoute', (r) => {
    for (const m of [r.method].flat()) routes.push({ method: m, url: r.url, permission: r.config?.permission, methodNotAllowed: r.config?.methodNotAllowed });
  });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
}, 60_000);
afterAll(async () => {
  await app?.close();
  await api?.close();
});

const expectErrorShape = (body: unknown, status: number) => {
  const e = (body as { error: { code: unknown; message: unknown; request_id: unknown } }).error;
  expect(typeof e.code, `status ${status}`).toBe('string');
  expect(typeof e.message).toBe('string');
  expect(typeof e.request_id).toBe('string');
};

describe('route walk: every registered route authenticates and authorizes', () => {
  it('401 without credentials, 403 for a role below the permission; every non-public route declares one', async () => {
    const served = routes.filter((r) => r.method !== 'OPTIONS' && r.method !== 'HEAD' && !r.methodNotAllowed && !isPublic(r.url));
    // Only the credential exchanges are reachable without a token.
    expect(served.filter((r) => r.permission === 'anonymous').map((r) => r.url)).toEqual(['/api/v1/auth/login', '/api/v1/auth/refresh', '/api/v1/auth/logout']);
    const walked = served.filter((r) => r.permission !== 'anonymous');
    expect(walked.length).toBeGreaterThanOrEqual(11);
    for (const r of walked) {
      expect(r.permission, `${r.method} ${r.url} declares no permission`).toBeDefined();
      const path = r.url.replace(/:(\w+)/g, 'x1');
      const noCred = await fetch(url + path, { method: r.method });
      expect(noCred.status, `${r.method} ${r.url}`).toBe(401);
      expectErrorShape(await noCred.json(), 401);
      for (const role of ROLES.filter((x) => !can(x, r.permission as Permission))) {
        const res = await fetch(url + path, { method: r.method, headers: { authorization: `Bearer ${tokenFor(role)}` } });
        expect(res.status, `${role} on ${r.method} ${r.url}`).toBe(403);
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe('FORBIDDEN');
        expect(body.error.message).toContain(r.permission);
      }
    }
  });
});

describe('one error shape', () => {
  const admin = { authorization: `Bearer ${tokenFor('admin')}`, 'content-type': 'application/json' };
  it('bad JSON 400, wrong types name fields, unknown route 404, wrong method 405, request id echoed', async () => {
    const bad = await fetch(`${url}/api/v1/decisions`, { method: 'POST', headers: { ...admin, 'x-request-id': 'abc-123' }, body: '{bad' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-request-id')).toBe('abc-123');
    expect(((await bad.json()) as { error: { code: string; request_id: string } }).error).toMatchObject({ code: 'JSON_INVALID', request_id: 'abc-123' });
    const typed = await fetch(`${url}/api/v1/decisions`, { method: 'POST', headers: admin, body: '{"asset_pair": 5}' });
    expect(typed.status).toBe(400);
    const tb = (await typed.json()) as { error: { fields: { path: string }[] } };
    expect(tb.error.fields.map((f) => f.path)).toContain('body.asset_pair');
    const q = await fetch(`${url}/api/v1/decisions?limit=-3`, { headers: admin });
    expect(q.status).toBe(400);
    expect(((await q.json()) as { error: { fields: { path: string }[] } }).error.fields[0].path).toBe('query.limit');
    const nf = await fetch(`${url}/nope`);
    expect(nf.status).toBe(404);
    expectErrorShape(await nf.json(), 404);
    const na = await fetch(`${url}/api/v1/decisions`, { method: 'DELETE', headers: { authorization: admin.authorization } });
    expect(na.status).toBe(405);
    expect(na.headers.get('allow')).toContain('GET');
  });
  it('oversize body 413, unsupported media type 415', async () => {
    const big = await fetch(`${url}/api/v1/decisions`, { method: 'POST', headers: admin, body: JSON.stringify({ asset_pair: 'x'.repeat(2_000_000) }) });
    expect(big.status).toBe(413);
    expectErrorShape(await big.json(), 413);
    const txt = await fetch(`${url}/api/v1/decisions`, { method: 'POST', headers: { ...admin, 'content-type': 'application/xml' }, body: '<x/>' });
    expect(txt.status).toBe(415);
  });
  it('probes answer without credentials; /docs/json is OpenAPI 3 listing the routes', async () => {
    expect((await fetch(`${url}/live`)).status).toBe(200);
    expect((await fetch(`${url}/ready`)).status).toBe(200);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const doc = (await (await fetch(`${url}/docs/json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toContain('/api/v1/decisions/{id}');
  });
});

describe('rate limit', () => {
  it('429 in the error shape past the configured max', async () => {
    const a = await FfeApi.open(configHome(''));
    const s = buildServer(a, { authenticate: testAuthenticate, settings: { ...a.system.serverSettings(), rateLimit: { max: 3, windowSeconds: 60 } } });
    const u = await s.listen({ host: '127.0.0.1', port: 0 });
    try {
      const statuses: number[] = [];
      let last: unknown;
      for (let i = 0; i < 5; i++) {
        const r = await fetch(`${u}/api/v1/status`, { headers: { authorization: `Bearer ${tokenFor('viewer')}` } });
        statuses.push(r.status);
        last = await r.json();
      }
      expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
      expect(statuses[4]).toBe(429);
      expect((last as { error: { code: string } }).error.code).toBe('TOO_MANY_REQUESTS');
    } finally {
      await s.close();
      await a.close();
    }
  });
});
