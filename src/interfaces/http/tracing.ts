import type { FastifyInstance, FastifyRequest } from 'fastify';
import { startServerSpan, type ManualSpan } from '../../application/observability.js';

/**
 * One span per API request when tracing is on (`GET /api/v1/...`, named by the route template,
 * never the URL: query strings may carry a token). The span is made active for the handler
 * (preHandler runs after body parsing and just before it), so the engine and order-path spans
 * an analysis or an order sets off nest under the request.
 */
export function traceRequests(app: FastifyInstance): void {
  const spans = new WeakMap<FastifyRequest, ManualSpan>();
  app.addHook('onRequest', (req, _reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const s = startServerSpan(`${req.method} ${route}`, { 'http.request.method': req.method, 'http.route': route, 'ffe.request_id': req.id }, req.headers);
    if (s) spans.set(req, s);
    done();
  });
  app.addHook('preHandler', (req, _reply, done) => {
    const s = spans.get(req);
    if (s) s.run(done);
    else done();
  });
  app.addHook('onResponse', (req, reply, done) => {
    spans.get(req)?.end({ 'http.response.status_code': reply.statusCode, 'ffe.principal': req.principal?.kind }, reply.statusCode >= 500);
    spans.delete(req);
    done();
  });
}
