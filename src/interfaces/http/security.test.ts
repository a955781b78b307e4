import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FfeApi } from '../../application/api.js';
import { configHome } from '../../../test/support/config-home.js';
import { tokenFor, testAuthenticate } from '../../../test/support/http-auth.js';
import { buildServer } from './server.js';

let api: FfeApi;
let app: FastifyInstance;
let url: string;

beforeAll(async () => {
  api = await FfeApi.open(configHome(''));
  app = buildServer(api, { authenticate: testAuthenticate, settings: { ...api.system.serverSettings(), corsOrigins: ['https://ops.example.com'] } });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
}, 60_000);
afterAll(async () => {
  await app?.close();
  await api?.close();
});

describe('headers', () => {
  it('security headers on answers; CORS only for an allowed origin', async () => {
    const r = await fetch(`${url}/live`, { headers: { origin: 'https://ops.example.com' } });
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-frame-options')).toBeTruthy();
    expect(r.headers.get('access-control-allow-origin')).toBe('https://ops.example.com');
    const other = await fetch(`${url}/live`, { headers: { origin: 'https://evil.example.com' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('/metrics', () => {
  it('needs credentials, and counts requests by route and status in Prometheus text', async () => {
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    await fetch(`${url}/api/v1/bot/status`, { headers: { authorization: `Bearer ${tokenFor('viewer')}` } });
    const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${tokenFor('viewer')}` } })).text();
    expect(text).toMatch(/^# TYPE ffe_http_requests_total counter$/m);
    expect(text).toMatch(/ffe_http_requests_total\{[^}]*route="\/api\/v1\/bot\/status"[^}]*status="200"[^}]*\} [1-9]/);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
  });
});
