import type {} from '@fastify/swagger';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FfeApi } from '../../application/api.js';
import { PERMISSIONS } from '../../application/auth/roles.js';
import { FfeError } from '../../core/errors.js';
import { FieldsError } from './errors.js';
import { guardRequest } from './guard.js';
import type { ServerOptions } from './options.js';
import type { RouteContext, RouteDef } from './route.js';
import { JsonText, toJson } from './wire.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** `Idempotency-Key`: 1–255 visible ASCII characters, or absent. */
function idempotencyKeyOf(req: FastifyRequest): string | undefined {
  const h = req.headers['idempotency-key'];
  if (h === undefined) return undefined;
  const v = Array.isArray(h) ? h[0] : h;
  if (!/^[\x21-\x7e]{1,255}$/.test(v)) throw new FieldsError('invalid Idempotency-Key header', [{ path: 'headers.idempotency-key', message: 'must be 1–255 visible ASCII characters' }]);
  return v;
}

/** The route's handler context. */
export const contextOf = (req: FastifyRequest, api: FfeApi): RouteContext => ({
  api,
  principal: req.principal!,
  requestId: req.id,
  idempotencyKey: idempotencyKeyOf(req),
  ip: req.ip,
});

/**
 * Registers API routes: each authenticates and authorizes before its body is read, validates with
 * its zod schemas, and answers its handler's result (snake_case). A route without a permission is
 * a defect: registration throws. A method a path does not serve answers 405 naming those it does.
 */
export function registerRoutes(app: FastifyInstance, api: FfeApi, defs: readonly RouteDef[], opts: ServerOptions): void {
  const methodsByUrl = new Map<string, Set<string>>();
  for (const r of defs) {
    if (!r.permission || !([...PERMISSIONS, 'anonymous'] as readonly string[]).includes(r.permission)) throw new Error(`route ${r.method} ${r.url} declares no permission: every API route must`);
    const permission = r.permission;
    const anonymous = permission === 'anonymous';
    methodsByUrl.set(r.url, (methodsByUrl.get(r.url) ?? new Set()).add(r.method));
    app.route({
      method: r.method,
      url: r.url,
      schema: {
        summary: r.summary,
        tags: r.tags,
        security: anonymous ? [] : [{ bearer: [] }],
        ...(r.body ? { body: r.body } : {}),
        ...(r.query ? { querystring: r.query } : {}),
        ...(r.params ? { params: r.params } : {}),
        ...(r.response ? { response: { [r.status ?? 200]: r.response } } : {}),
      },
      config: { permission, ...(r.audit ? { audit: r.audit } : {}) },
      onRequest: async (req) => (permission === 'anonymous' ? undefined : guardRequest(req, permission, opts.authenticate)),
      handler: async (req, reply) => {
        const out = await r.handler({ body: req.body, query: req.query, params: req.params } as Parameters<RouteDef['handler']>[0], contextOf(req, api));
        if (out === undefined) return reply.code(204).send();
        return reply
          .code(r.status ?? 200)
          .type('application/json; charset=utf-8')
          .send(out instanceof JsonText ? out.text : toJson(out));
      },
    });
  }
  for (const [url, served] of methodsByUrl) {
    const others = METHODS.filter((m) => !served.has(m));
    if (!others.length) continue;
    const allow = [...served].join(', ');
    app.route({
      method: others,
      url,
      schema: { hide: true },
      config: { methodNotAllowed: true },
      handler: async (_req, reply) => {
        reply.header('allow', allow);
        throw new FfeError('input', 'METHOD_NOT_ALLOWED', `method not allowed; ${url} serves ${allow}`);
      },
    });
  }
}
