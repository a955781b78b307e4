import { createHash } from 'node:crypto';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import type { ServerSettings } from '../../application/service.js';
import { FfeError } from '../../core/errors.js';
import { bearerOf } from './guard.js';

/** Rate-limit key: the credential (hashed: keys never sit in memory or Redis in clear) or else the address. */
function rateKey(req: FastifyRequest): string {
  const token = bearerOf(req.headers.authorization) ?? new URL(req.url, 'http://x').searchParams.get('token');
  return token ? `cred:${createHash('sha256').update(token).digest('hex').slice(0, 32)}` : `ip:${req.ip}`;
}

/**
 * Security headers (helmet), the CORS allow-list (none by default) and the rate limit (per key or
 * address; shared through Redis when `server.redis_url` is set, and skipped rather than failing
 * every request when Redis is down).
 */
export async function registerSecurity(app: FastifyInstance, s: ServerSettings): Promise<void> {
  await app.register(helmet, { global: true });
  await app.register(cors, { origin: s.corsOrigins.length ? s.corsOrigins : false });
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
    ...(redis ? { redis, nameSpace: 'ffe-rate-limit:' } : {}),
    errorResponseBuilder: (_req, ctx) =>
      Object.assign(new FfeError('input', 'TOO_MANY_REQUESTS', `rate limit exceeded: at most ${ctx.max} requests per ${ctx.after}; retry in ${Math.ceil(ctx.ttl / 1000)} s`), { statusCode: 429 }),
  });
}
