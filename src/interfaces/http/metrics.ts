import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type Metric } from 'prom-client';

/** A registry with the process's default metrics (CPU, memory, event loop, GC). */
export function defaultRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

const openStreams = new WeakMap<Registry, ReadonlySet<unknown>>();

/** The metric of that name already in `registry` (a second server over the same registry), else a new one. */
function once<M extends Metric>(registry: Registry, name: string, make: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? make();
}

/**
 * Counts and times every answered request by method, route pattern (not the raw URL: bounded
 * labels) and status; counts WebSocket event-stream clients (docs/metrics.md).
 */
export function instrument(app: FastifyInstance, registry: Registry): void {
  const registers = [registry];
  const requests = once(registry, 'ffe_http_requests_total', () => new Counter({ name: 'ffe_http_requests_total', help: 'HTTP requests answered', labelNames: ['method', 'route', 'status'], registers }));
  const duration = once(
    registry,
    'ffe_http_request_duration_seconds',
    () =>
      new Histogram({
        name: 'ffe_http_request_duration_seconds',
        help: 'HTTP request duration',
        labelNames: ['method', 'route', 'status'],
        buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
        registers,
      }),
  );
  // Read when scraped: the server's own set of open streams (the newest server wins on a shared registry).
  openStreams.set(registry, app.ffe.streams);
  once(
    registry,
    'ffe_websocket_clients',
    () =>
      new Gauge({
        name: 'ffe_websocket_clients',
        help: 'WebSocket event-stream clients connected',
        registers,
        collect() {
          this.set(openStreams.get(registry)?.size ?? 0);
        },
      }),
  );
  app.addHook('onResponse', async (req, reply) => {
    const labels = { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });
}
