import { context, propagation, SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import { isFfeError } from '../core/errors.js';

/**
 * Spans for the code paths, through the OpenTelemetry API only. Until an SDK is registered
 * (src/observability/tracing.ts, started by serve, run-agent and worker when tracing is on) the
 * API's tracer is a no-op, so these cost a function call and a non-recording span.
 */
const tracer = trace.getTracer('ffe');

export type SpanAttrs = Record<string, string | number | boolean | undefined>;

/**
 * Runs `fn` in an active span named `name`, the root of a trace unless one is active (children
 * started inside nest under it): a decision cycle, an API request. A thrown
 * error marks the span as failed with its error code, never its message: messages may quote
 * a venue's or provider's answer, and attributes leave the process unscrubbed.
 */
export function rootSpan<T>(name: string, attrs: SpanAttrs, fn: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { attributes: clean(attrs) }, async (s) => {
    try {
      return await fn();
    } catch (e) {
      s.setStatus({ code: SpanStatusCode.ERROR });
      s.setAttribute('error.code', isFfeError(e) ? e.code : 'UNEXPECTED');
      throw e;
    } finally {
      s.end();
    }
  });
}

/**
 * A step of a traced operation: a span under the active one, or just `fn` when nothing is traced.
 * Backtests run the same engine, ensemble and order path thousands of times outside any cycle:
 * they stay untraced instead of flooding the collector with one-span traces.
 */
export function span<T>(name: string, attrs: SpanAttrs, fn: () => Promise<T>): Promise<T> {
  return tracing() ? rootSpan(name, attrs, fn) : fn();
}

/** Whether a span records now, i.e. whether `span` would open one: a hot caller skips building its attributes and callback when not. */
export function tracing(): boolean {
  return trace.getActiveSpan()?.isRecording() === true;
}

/** A span opened and closed by hooks (an API request), for code that cannot wrap a callback. */
export interface ManualSpan {
  /** Calls `fn` with the span active, so spans started by what `fn` sets off nest under it. */
  run(fn: () => void): void;
  end(attrs: SpanAttrs, failed: boolean): void;
}

/**
 * Starts a server span, continuing the caller's trace when the request carries a W3C
 * `traceparent` header. Null when nothing records (tracing off or not sampled): the hooks
 * then cost nothing.
 */
export function startServerSpan(name: string, attrs: SpanAttrs, headers: Record<string, string | string[] | undefined>): ManualSpan | null {
  const parent = propagation.extract(context.active(), headers);
  const s = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes: clean(attrs) }, parent);
  if (!s.isRecording()) return null;
  const ctx = trace.setSpan(parent, s);
  return {
    run: (fn) => context.with(ctx, fn),
    end: (more, failed) => {
      s.setAttributes(clean(more));
      if (failed) s.setStatus({ code: SpanStatusCode.ERROR });
      s.end();
    },
  };
}

/** Adds attributes to the active span (e.g. the action a provider answered); a no-op without one. */
export function annotate(attrs: SpanAttrs): void {
  trace.getActiveSpan()?.setAttributes(clean(attrs));
}

/** trace_id/span_id of the active span for log lines (a pino mixin); empty when none records. */
export function traceIds(): { trace_id?: string; span_id?: string } {
  const ctx = trace.getActiveSpan()?.spanContext();
  return ctx && trace.isSpanContextValid(ctx) ? { trace_id: ctx.traceId, span_id: ctx.spanId } : {};
}

function clean(attrs: SpanAttrs): Attributes {
  const out: Attributes = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) out[k] = v;
  return out;
}
