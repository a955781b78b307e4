import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FfeApi } from '../../application/api.js';
import { configHome } from '../../../test/support/config-home.js';
import { testAuthenticate, tokenFor } from '../../../test/support/http-auth.js';
import { buildServer } from './server.js';

let api: FfeApi;
const servers: FastifyInstance[] = [];
const INDEX = '<!doctype html><html><body><div id="root"></div><script type="module" src="/assets/app-1a2b.js"></script></body></html>';

async function serve(webRoot: string | null, rateLimitMax = 10_000): Promise<string> {
  const app = buildServer(api, { authenticate: testAuthenticate, settings: { ...api.system.serverSettings(), rateLimit: { max: rateLimitMax, windowSeconds: 60 } }, webRoot });
  servers.push(app);
  return app.listen({ host: '127.0.0.1', port: 0 });
}

let built: string;
beforeAll(async () => {
  api = await FfeApi.open(configHome(''));
  built = mkdtempSync(join(tmpdir(), 'ffe-web-'));
  mkdirSync(join(built, 'assets'));
  writeFileSync(join(built, 'index.html'), INDEX);
  writeFileSync(join(built, 'assets', 'app-1a2b.js'), 'console.log("app")');
  writeFileSync(join(built, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
}, 60_000);
afterAll(async () => {
  for (const s of servers) await s.close();
  await api?.close();
});

const page = (url: string) => fetch(url, { headers: { accept: 'text/html,application/xhtml+xml' } });

describe('the dashboard at /', () => {
  it('serves index.html at / and at every page path a browser asks for (client-side routes), revalidated', async () => {
    const url = await serve(built);
    for (const path of ['/', '/agent', '/decisions/01J0000000000000000000000', '/backtests/x?tab=trials']) {
      const res = await page(url + path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toBe(INDEX);
    }
  });

  it('serves hashed assets cached for a year and other files revalidated; security headers stay', async () => {
    const url = await serve(built);
    const js = await fetch(url + '/assets/app-1a2b.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(js.headers.get('content-security-policy')).toContain("script-src 'self'");
    const svg = await fetch(url + '/favicon.svg');
    expect(svg.headers.get('cache-control')).toBe('no-cache');
  });

  it('never answers an API, docs or probe path with the app, and a missing file is the JSON 404', async () => {
    const url = await serve(built);
    for (const path of ['/api/v1/nope', '/api', '/ws/x', '/docs/nope', '/metrics/x']) {
      const res = await page(url + path);
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ROUTE_NOT_FOUND');
    }
    const missing = await fetch(url + '/assets/missing.js');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('ROUTE_NOT_FOUND');
    // The API still needs a token: the dashboard does not open it.
    expect((await page(url + '/api/v1/status')).status).toBe(401);
  });

  it("does not count the dashboard's files against the rate limit; API calls still are", async () => {
    const url = await serve(built, 3);
    for (let i = 0; i < 8; i++) expect((await fetch(url + '/assets/app-1a2b.js')).status).toBe(200);
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await fetch(url + '/api/v1/status', { headers: { authorization: `Bearer ${tokenFor('viewer')}` } })).status);
    expect(codes).toContain(429);
  });

  it('says how to build the dashboard when there is no build, and serves none when webRoot is null', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ffe-web-none-'));
    const url = await serve(empty);
    const res = await page(url + '/');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('npm run build');
    const off = await serve(null);
    const none = await page(off + '/');
    expect(none.status).toBe(404);
  });
});
