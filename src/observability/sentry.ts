import * as Sentry from '@sentry/node';
import { isFfeError } from '../core/errors.js';
import { installFailureSink, type Failure } from './failures.js';
import { traceIds } from './span.js';
import { scrubEvent } from './scrub-event.js';

export interface SentrySettings {
  dsn: string;
  environment: string;
  release: string;
  /** Every configured secret: masked in each event before it is sent, with anything key-shaped. */
  secrets: readonly string[];
}

/**
 * Error tracking only: unexpected errors and the provider/venue failures the code paths report
 * (src/observability/failures.ts), tagged with their error code. Sentry's own OpenTelemetry
 * setup stays off (`enableOpenTelemetrySetup: false`, the v11 default, made explicit), so it
 * never registers a tracer provider that would compete with ours (src/observability/tracing.ts);
 * events carry the trace id of the span they happened in, which links them to the trace.
 */
export function startSentry(s: SentrySettings): { shutdown(): Promise<void> } {
  Sentry.init({
    dsn: s.dsn,
    environment: s.environment,
    release: `ffe@${s.release}`,
    enableOpenTelemetrySetup: false,
    // No performance or request integrations: tracing is OpenTelemetry's job, and requests carry tokens.
    defaultIntegrations: false,
    integrations: [Sentry.linkedErrorsIntegration(), Sentry.onUncaughtExceptionIntegration(), Sentry.onUnhandledRejectionIntegration({ mode: 'warn' })],
    beforeSend: (event) => scrubEvent(event, s.secrets),
    beforeBreadcrumb: () => null,
  });
  installFailureSink(capture);
  return {
    shutdown: async () => {
      installFailureSink(null);
      await Sentry.close(5_000);
    },
  };
}

function capture(f: Failure): void {
  const err = f.error instanceof Error ? f.error : new Error(String(f.error));
  const ids = traceIds();
  Sentry.captureException(err, {
    level: f.kind === 'unexpected' ? 'error' : 'warning',
    tags: { failure: f.kind, error_code: f.code, ...(isFfeError(err) ? { error_kind: err.kind } : {}), ...f.tags, ...(ids.trace_id ? { trace_id: ids.trace_id } : {}) },
  });
}
