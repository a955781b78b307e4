import type { FastifyInstance } from 'fastify';
import type { FfeApi } from '../../src/application/api.js';
import type { Role } from '../../src/application/auth/roles.js';
import { buildServer } from '../../src/interfaces/http/server.js';
import { testAuthenticate, tokenFor } from './http-auth.js';

/**
 * A real server on loopback over `api` for route tests: authenticated by the fixed test tokens
 * (./http-auth.ts), with a rate limit high enough that a test's own requests never hit it.
 */
export async function routeServer(api: FfeApi): Promise<{ app: FastifyInstance; url: string }> {
  const app = buildServer(api, { authenticate: testAuthenticate, settings: { ...api.system.serverSettings(), rateLimit: { max: 10_000, windowSeconds: 60 } } });
  return { app, url: await app.listen({ host: '127.0.0.1', port: 0 }) };
}

/** A JSON request to `url` + `path` as `role`'s test token: status and parsed body (null when empty). */
export async function callAs(url: string, role: Role, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(url + path, {
    method,
    headers: { authorization: `Bearer ${tokenFor(role)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
