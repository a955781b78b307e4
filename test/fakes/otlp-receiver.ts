/**
 * A loopback OTLP/HTTP trace receiver (what Jaeger, Tempo or a Collector expose on :4318):
 * POST /v1/traces with an ExportTraceServiceRequest in the OTLP/JSON encoding (ids as hex
 * strings, 64-bit integers as strings, attribute values as `{stringValue|intValue|...}`),
 * gzip accepted. Anything else is refused as a real receiver refuses it (404, 415).
 */
import { decoded, startLoopbackServer } from './loopback-server.js';

export type AttrValue = string | number | boolean | null;

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  name: string;
  kind: number;
  /** 0 unset, 1 ok, 2 error. */
  statusCode: number;
  attributes: Record<string, AttrValue>;
  resource: Record<string, AttrValue>;
  scope: string;
  startNs: bigint;
  endNs: bigint;
}

export interface OtlpReceiver {
  /** Base URL, as OTEL_EXPORTER_OTLP_ENDPOINT takes it. */
  url: string;
  spans: ReceivedSpan[];
  /** Raw request bodies as received (to look for secrets in the bytes, not the parsed view). */
  bodies: string[];
  /** Non-trace requests (e.g. /v1/metrics): a traces-only setup sends none. */
  otherPaths: string[];
  /** Resolves once `pred` holds over the spans received, or rejects after `timeoutMs`. */
  waitFor(pred: (spans: ReceivedSpan[]) => boolean, timeoutMs?: number): Promise<ReceivedSpan[]>;
  close(): Promise<void>;
}

interface JsonAnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface JsonKeyValue {
  key: string;
  value: JsonAnyValue;
}
interface JsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  status?: { code?: number };
  attributes?: JsonKeyValue[];
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
}
interface ExportTraceServiceRequest {
  resourceSpans?: { resource?: { attributes?: JsonKeyValue[] }; scopeSpans?: { scope?: { name?: string }; spans?: JsonSpan[] }[] }[];
}

const valueOf = (v: JsonAnyValue): AttrValue => v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : undefined) ?? v.doubleValue ?? v.boolValue ?? null;
const attrs = (kvs: JsonKeyValue[] = []): Record<string, AttrValue> => Object.fromEntries(kvs.map((kv) => [kv.key, valueOf(kv.value)]));
const HEX = (n: number) => new RegExp(`^[0-9a-f]{${n}}$`);

/** Flattens one export request; throws on ids that are not hex of the right length (a wire-format error). */
export function parseExport(body: ExportTraceServiceRequest): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  for (const rs of body.resourceSpans ?? []) {
    const resource = attrs(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        if (!HEX(32).test(s.traceId) || !HEX(16).test(s.spanId) || (s.parentSpanId && !HEX(16).test(s.parentSpanId))) throw new Error(`span ${s.name}: ids are not OTLP/JSON hex`);
        out.push({
          traceId: s.traceId,
          spanId: s.spanId,
          parentSpanId: s.parentSpanId ?? '',
          name: s.name,
          kind: s.kind ?? 0,
          statusCode: s.status?.code ?? 0,
          attributes: attrs(s.attributes),
          resource,
          scope: ss.scope?.name ?? '',
          startNs: BigInt(s.startTimeUnixNano),
          endNs: BigInt(s.endTimeUnixNano),
        });
      }
    }
  }
  return out;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const bodies: string[] = [];
  const otherPaths: string[] = [];
  const server = await startLoopbackServer((req, body, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'POST' || path !== '/v1/traces') {
      otherPaths.push(`${req.method} ${path}`);
      res.writeHead(404).end();
      return;
    }
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      res.writeHead(415, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 3, message: 'this receiver speaks OTLP/JSON only' }));
      return;
    }
    try {
      const text = decoded(req, body).toString('utf8');
      bodies.push(text);
      spans.push(...parseExport(JSON.parse(text) as ExportTraceServiceRequest));
      // ExportTraceServiceResponse: an empty object is full success.
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    } catch (e) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 3, message: (e as Error).message }));
    }
  });
  return {
    url: server.url,
    spans,
    bodies,
    otherPaths,
    waitFor: (pred, timeoutMs = 30_000) =>
      server.waitFor(
        () => pred(spans) && spans,
        timeoutMs,
        () => `OTLP receiver: condition not met within ${timeoutMs} ms; spans received: ${spans.map((s) => s.name).join(', ') || 'none'}`,
      ),
    close: () => server.close(),
  };
}

/** The span tree as indented `name` lines (children in start order), for assertions and reports. */
export function treeOf(spans: readonly ReceivedSpan[], rootId: string): string[] {
  const byParent = new Map<string, ReceivedSpan[]>();
  for (const s of spans) byParent.set(s.parentSpanId, [...(byParent.get(s.parentSpanId) ?? []), s]);
  const root = spans.find((s) => s.spanId === rootId);
  if (!root) return [];
  const lines: string[] = [];
  const walk = (s: ReceivedSpan, depth: number) => {
    lines.push(`${'  '.repeat(depth)}${s.name}`);
    for (const c of [...(byParent.get(s.spanId) ?? [])].sort((a, b) => (a.startNs < b.startNs ? -1 : 1))) walk(c, depth + 1);
  };
  walk(root, 0);
  return lines;
}
