import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import { Redis } from 'ioredis';
import type { ServerSettings } from '../../application/service.js';
import { FfeError } from '../../core/errors.js';
import { bearerOf } from './guard.js';
import { isDashboardPath } from './web.js';

/** Rate-limit key: the credential (hashed: keys never sit in memory or Redis in clear) or else the address. */
function rateKey(req: FastifyRequest): string {
  const token = bearerOf(req.headers.authorization) ?? new URL(req.url, 'http://x').searchParams.get('token');
  return token ? `cred:${createHash('sha256').update(token).digest('hex').slice(0, 32)}` : `ip:${req.ip}`;
}

/**
 * The headers helmet's defaults set, computed once. Helmet's headers do not depend on the request,
 * and @fastify/helmet rebuilds the middleware (parsing the CSP directives) on every request: a
 * fifth of the status route's time under load.
 */
export function helmetHeaders(): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (k: string, v: unknown) => void (headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v)),
    removeHeader: (k: string) => void delete headers[k.toLowerCase()],
    getHeader: (k: string) => headers[k.toLowerCase()],
  };
  let done = false;
  helmet()({} as IncomingMessage, res as unknown as ServerResponse, () => void (done = true));
  if (!done) throw new Error('helmet did not finish synchronously');
  return Object.freeze(headers);
}

/**
 * Security headers (helmet's defaults), the CORS allow-list (none by default: no CORS handling at
 * all) and the rate limit (per key or address; shared through Redis when `server.redis_url` is
 * set, and skipped rather than failing every request when Redis is down).
 */
export async function registerSecurity(app: FastifyInstance, s: ServerSettings): Promise<void> {
  const headers = helmetHeaders();
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(headers);
    done();
  });
  if (s.corsOrigins.length) await app.register(cors, { origin: s.corsOrigins });
  const redis = s.redisUrl ? new Redis(s.redisUrl, { connectTimeout: 2000, maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false }) : null;
  if (redis) {
    redis.on('error', (e: Error) => app.log.warn(`rate-limit Redis: ${e.message}`));
    app.addHook('onClose', async () => void redis.disconnect());
  }
  await app.register(rateLimit, {
    global: true,
    max: s.rateLimit.max,
    timeWindow: Math.round(s.rateLimit.windowSeconds * 1000),
    keyGenerator: rateKey,
    skipOnError: true,
    // The dashboard's own files (scripts, styles, index.html) are not API calls.
    allowList: (req) => isDashboardPath(req.url),
    ...(redis ? { redis, nameSpace: 'ffe-rate-limit:' } : {}),
    errorResponseBuilder: (_req, ctx) =>
      Object.assign(new FfeError('input', 'TOO_MANY_REQUESTS', `rate limit exceeded: at most ${ctx.max} requests per ${ctx.after}; retry in ${Math.ceil(ctx.ttl / 1000)} s`), { statusCode: 429 }),
  });
}
