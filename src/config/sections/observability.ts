import { z } from 'zod';
import { field, fraction } from '../meta.js';

/** Tracing (OpenTelemetry over OTLP/HTTP) and error tracking (Sentry); both off unless configured. */
export const observabilitySection = z.strictObject({
  tracing: z
    .strictObject({
      enabled: field(z.boolean().nullable().default(null), {
        description: 'export traces of decision cycles and API requests (null: on when an endpoint is set, e.g. by OTEL_EXPORTER_OTLP_ENDPOINT)',
      }),
      endpoint: field(z.string().default(''), {
        env: 'OTEL_EXPORTER_OTLP_ENDPOINT',
        description: 'OTLP/HTTP base URL of the collector (Jaeger, Tempo, an OpenTelemetry Collector), e.g. http://127.0.0.1:4318; traces go to <endpoint>/v1/traces',
      }),
      service_name: field(z.string().min(1).default('ffe'), { env: 'OTEL_SERVICE_NAME', description: 'service.name resource attribute of every span' }),
      sample_ratio: fraction(1, 'share of traces kept (1 = every decision cycle and request); a child span follows its parent'),
    })
    .prefault({}),
  sentry_dsn: field(z.string().default(''), {
    env: 'SENTRY_DSN',
    secret: true,
    description: 'Sentry DSN: unexpected errors and provider/venue failures are reported there, scrubbed of secrets (empty: off)',
  }),
});
