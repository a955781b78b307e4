import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { FfeApi } from '../../application/api.js';
import { redact } from '../../core/redact.js';
import { ServerControl } from './control.js';
import { registerDocs } from './docs.js';
import { FieldsError, mapError } from './errors.js';
import { FfeError } from '../../core/errors.js';
import { defaultRegistry, instrument } from './metrics.js';
import type { ServerOptions } from './options.js';
import { registerProbes } from './probes.js';
import { registerRoutes } from './register.js';
import { loggableUrl, requestIdOf } from './request-id.js';
import { API_ROUTES } from './routes/index.js';
import { registerSecurity } from './security.js';
import { defaultWebRoot, registerWeb } from './web.js';
import { registerWebSocket } from './websocket.js';
import { traceRequests } from './tracing.js';
import { reportFailure, traceIds } from '../../application/observability.js';

export type { ServerOptions, AuditEntry, Authenticate } from './options.js';

/** Fastify's logger with request URLs masked (`?token=`) and the request id under one label. */
function loggerOption(logger: ServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger) return false;
  const serializers = { req: (req: { method: string; url: string; id: string }) => ({ method: req.method, url: loggableUrl(req.url), request_id: req.id }) };
  // trace_id/span_id on the lines logged while a traced request runs (docs/observability.md).
  const mixin = traceIds;
  return logger === true ? { serializers, mixin } : { mixin, ...logger, serializers: { ...(logger.serializers ?? {}), ...serializers } };
}

/**
 * Errors Node's HTTP parser raises before a request exists (headers or URL over 16 KB, malformed
 * HTTP), answered in the one error shape rather than Fastify's default body.
 */
function clientErrorHandler(secrets: readonly string[]) {
  return (err: Error & { code?: string }, socket: Socket) => {
    if (socket.destroyed || !socket.writable) return;
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const ffe = tooLarge ? new FfeError('input', 'HEADERS_TOO_LARGE', 'the request line or headers are too large (over 16 KB)') : new FfeError('input', 'REQUEST_INVALID', 'malformed HTTP request');
    const m = mapError(ffe, randomUUID(), secrets);
    const body = JSON.stringify(m.body);
    socket.end(
      `HTTP/1.1 ${m.status} ${STATUS_CODES[m.status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${m.body.error.request_id}\r\nConnection: close\r\n\r\n${body}`,
    );
  };
}

/**
 * The API server over one FfeApi: probes, OpenAPI docs, every route group of routes/index.ts
 * (each authenticated, authorized, validated and, when it says so, audited), the WebSocket event
 * stream and /metrics, with one error shape for every failure. Plugins load on `ready()` /
 * `listen()`; `app.ffe` reports readiness (/ready) and starts a drain.
 */
export function buildServer(api: FfeApi, opts: ServerOptions): FastifyInstance {
  const s = opts.settings;
  const app = Fastify({
    logger: loggerOption(opts.logger),
    bodyLimit: s.bodyLimitBytes,
    trustProxy: s.trustProxy,
    requestIdHeader: false,
    genReqId: requestIdOf,
    exposeHeadRoutes: false,
    return503OnClosing: true,
    clientErrorHandler: clientErrorHandler(api.secrets),
    // The router's own refusals (bad percent-encoding, an over-long path parameter) skip the error
    // handler: answered here in the one error shape.
    frameworkErrors: (err, req, reply) => {
      const fields = [{ path: 'params', message: err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'a path parameter is too long (over 100 characters)' : 'the path is not valid percent-encoded UTF-8' }];
      const m = mapError(new FieldsError(`invalid request: ${fields[0].path}: ${fields[0].message}`, fields), req.id, api.secrets);
      return (reply as FastifyReply).code(m.status).header('x-request-id', req.id).send(m.body);
    },
  });
  const registry = opts.metrics ?? defaultRegistry();
  app.decorate('ffe', new ServerControl());
  app.decorateRequest('principal', null);
  app.decorateRequest('failure', null);
  app.setValidatorCompiler(validatorCompiler);
  // Response schemas document, they do not filter or reject: answers are serialized as they are.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  const scrub = (text: string) => redact(text, api.secrets);

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  app.addHook('onListen', async () => app.ffe.markListening());
  traceRequests(app);

  app.setErrorHandler((err, req, reply) => {
    const m = mapError(err, req.id, api.secrets);
    if (m.unexpected) req.log.error({ request_id: req.id, error: scrub(String((err as Error)?.stack ?? err)) }, 'unexpected error');
    if (m.unexpected) reportFailure({ kind: 'unexpected', code: 'UNEXPECTED', error: err, tags: { route: `${req.method} ${req.routeOptions.url ?? 'unmatched'}` } });
    req.failure = m.body.error.message;
    return reply.code(m.status).send(m.body);
  });
  // Page paths a browser asks for get the dashboard (client-side routing); set once it is registered.
  let servePage: ((req: FastifyRequest, reply: FastifyReply) => boolean) | null = null;
  app.setNotFoundHandler((req, reply) => {
    if (servePage?.(req, reply)) return reply;
    const m = mapError(new FfeError('input', 'ROUTE_NOT_FOUND', `no route ${req.method} ${loggableUrl(req.url.split('?')[0])}`), req.id, api.secrets);
    return reply.code(m.status).send(m.body);
  });

  // Audited routes: every outcome is recorded (a 401/403/429 as denied) before the answer leaves.
  // Other state-changing routes are recorded by their use cases (with the caller) once they run;
  // a caller refused before that is recorded here.
  app.addHook('onSend', async (req, reply, payload) => {
    const code = reply.statusCode;
    const refused = code === 401 || code === 403 || code === 429;
    const changing = req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS' && !!req.routeOptions.config?.permission;
    const action = req.routeOptions.config?.audit ?? (refused && changing ? `${req.method} ${req.routeOptions.url}` : undefined);
    if (!action || !opts.audit) return payload;
    const result = code < 400 ? 'ok' : code === 401 || code === 403 || code === 429 ? 'denied' : 'error';
    const params = { ...(req.params as object), ...(req.query as object), ...(typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body) ? (req.body as object) : {}) };
    try {
      await opts.audit({ principal: req.principal, action, params, result, ...(req.failure ? { error: req.failure } : {}), requestId: req.id, ip: req.ip });
    } catch (e) {
      req.log.error({ request_id: req.id, error: scrub((e as Error).message ?? String(e)) }, 'audit record failed');
    }
    return payload;
  });
  instrument(app, registry);

  void app.register(async (scope) => {
    await registerSecurity(scope, s);
    await registerDocs(scope);
    registerProbes(scope, api, registry, opts);
    // In a scope of its own: the plugin's per-request hooks then run for /ws only.
    await scope.register(async (ws) => registerWebSocket(ws, api, opts));
    registerRoutes(scope, api, opts.routes ?? API_ROUTES, opts);
    if (opts.webRoot !== null) servePage = await registerWeb(scope, opts.webRoot ?? defaultWebRoot());
  });
  return app;
}
