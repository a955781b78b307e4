import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { FfeApi } from '../../application/api.js';
import { guardRequest } from './guard.js';
import type { ServerOptions } from './options.js';
import { wire } from './wire.js';

/** Probes need no credentials (orchestrators call them) and are not rate limited. */
const PROBE = { config: { rateLimit: false } } as const;

export const PROBE_URLS = ['/health', '/ready', '/live'] as const;

export function registerProbes(app: FastifyInstance, api: FfeApi, registry: Registry, opts: ServerOptions): void {
  app.get('/live', { ...PROBE, schema: { summary: 'the process answers', tags: ['probes'] } }, async () => ({ status: 'ok' }));

  app.get('/ready', { ...PROBE, schema: { summary: 'ready for traffic (503 while starting, draining, or while the store does not answer)', tags: ['probes'] } }, async (_req, reply) => {
    const c = app.ffe;
    if (!c.ready) return reply.code(503).send({ status: c.draining ? 'draining' : 'starting' });
    const problem = await api.system.storeProblem();
    return problem ? reply.code(503).send({ status: 'store_unavailable', reason: problem }) : reply.send({ status: 'ready' });
  });

  app.get('/health', { ...PROBE, schema: { summary: "store, venues' circuit breakers and providers (503 when degraded)", tags: ['probes'] } }, async (_req, reply) => {
    const h = await api.system.health();
    return reply.code(h.ok ? 200 : 503).send(wire({ status: h.ok ? 'ok' : 'degraded', ...h }));
  });

  app.get(
    '/metrics',
    {
      config: { permission: 'read' },
      schema: { summary: 'Prometheus metrics (text exposition format)', tags: ['probes'], security: [{ bearer: [] }] },
      onRequest: async (req) => guardRequest(req, 'read', opts.authenticate),
    },
    async (_req, reply) => reply.header('content-type', registry.contentType).send(await registry.metrics()),
  );
}
