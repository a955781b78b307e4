import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

export interface TracingSettings {
  /** OTLP/HTTP base URL (`…/v1/traces` is added unless given). */
  endpoint: string;
  serviceName: string;
  serviceVersion: string;
  environment: string;
  sampleRatio: number;
}

/** The traces URL of an OTLP/HTTP endpoint, as OTEL_EXPORTER_OTLP_ENDPOINT defines it (a base URL). */
export const tracesUrl = (endpoint: string): string => (/\/v1\/traces\/?$/.test(endpoint) ? endpoint : `${endpoint.replace(/\/+$/, '')}/v1/traces`);

/**
 * The one place the OpenTelemetry SDK is set up: traces only (no metrics or logs exporters, which
 * NodeSDK would otherwise start from the OTEL_* environment), OTLP/HTTP with JSON bodies, batched.
 * No auto-instrumentation: the spans are the ones the code paths open (src/observability/span.ts).
 * Returns the flush-and-stop to run at shutdown.
 */
export function startTracing(s: TracingSettings): { shutdown(): Promise<void> } {
  const exporter = new OTLPTraceExporter({ url: tracesUrl(s.endpoint), timeoutMillis: 5_000 });
  const sdk = new NodeSDK({
    autoDetectResources: false,
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: s.serviceName, [ATTR_SERVICE_VERSION]: s.serviceVersion, 'deployment.environment.name': s.environment }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(s.sampleRatio) }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000 })],
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
  });
  sdk.start();
  return {
    shutdown: async () => {
      await sdk.shutdown();
      // Back to the API's no-op globals: a later start (a test, a restarted service) registers afresh.
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
