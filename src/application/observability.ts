import type { Config } from '../config/schema.js';
import { packageVersion } from '../lib/package-root.js';
import type { Runtime } from './runtime.js';

export { startServerSpan, traceIds, type ManualSpan } from '../observability/span.js';
export { reportFailure, failureCode } from '../observability/failures.js';

/** What a long-running command (serve, run-agent, worker) turned on, and how to flush it at the end. */
export interface Observability {
  tracing: { endpoint: string } | null;
  sentry: boolean;
  shutdown(): Promise<void>;
}

/** The OTLP/HTTP default when tracing is switched on without an endpoint. */
const DEFAULT_OTLP_ENDPOINT = 'http://127.0.0.1:4318';

/** Where traces go, or null when tracing is off: `enabled` wins; unset, an endpoint turns it on. */
export function tracingEndpoint(c: Config['observability']['tracing']): string | null {
  if (c.enabled === false) return null;
  if (c.endpoint) return c.endpoint;
  return c.enabled === true ? DEFAULT_OTLP_ENDPOINT : null;
}

/**
 * Starts tracing and error tracking as configured (both off by default). The SDKs are loaded
 * only when used, so a command without them pays no import cost. Sentry alone never starts an
 * OpenTelemetry exporter; with both on, OpenTelemetry owns the spans and Sentry gets errors
 * tagged with the trace id (docs/observability.md).
 */
export async function startObservability(rt: Runtime): Promise<Observability> {
  const { config } = rt.app;
  const o = config.observability;
  const stops: (() => Promise<void>)[] = [];
  const endpoint = tracingEndpoint(o.tracing);
  const version = packageVersion();
  if (endpoint) {
    const { startTracing } = await import('../observability/tracing.js');
    const t = startTracing({ endpoint, serviceName: o.tracing.service_name, serviceVersion: version, environment: config.environment, sampleRatio: o.tracing.sample_ratio });
    stops.push(t.shutdown);
  }
  if (o.sentry_dsn) {
    const { startSentry } = await import('../observability/sentry.js');
    const s = startSentry({ dsn: o.sentry_dsn, environment: config.environment, release: version, secrets: rt.secrets });
    stops.push(s.shutdown);
  }
  return {
    tracing: endpoint ? { endpoint } : null,
    sentry: Boolean(o.sentry_dsn),
    // Flush what is buffered; an unreachable collector must not keep the process from exiting.
    shutdown: async () => {
      await Promise.all(stops.map((s) => s().catch(() => undefined)));
    },
  };
}
