/**
 * A loopback Sentry ingest endpoint (what Relay exposes): POST /api/<project>/envelope/ with an
 * envelope: a JSON header line, then items, each a JSON item header line (`type`, optional
 * `length` in bytes) and its payload (`length` bytes, else up to the next newline). The public
 * key must come in `X-Sentry-Auth: Sentry sentry_key=...` or the `sentry_key` query parameter.
 * Use DSN `http://<key>@127.0.0.1:<port>/<project>`.
 */
import { decoded, startLoopbackServer } from './loopback-server.js';

export interface EnvelopeItem {
  header: { type: string; length?: number; [k: string]: unknown };
  /** Parsed JSON payload, or the raw text when it is not JSON (attachments). */
  payload: unknown;
}

export interface Envelope {
  header: Record<string, unknown>;
  items: EnvelopeItem[];
  /** The body as received (decompressed), to look for secrets in the bytes. */
  raw: string;
}

export interface SentryIngest {
  dsn: string;
  envelopes: Envelope[];
  /** Every `event` item's payload received so far. */
  readonly events: Record<string, any>[];
  waitForEvent(pred: (e: Record<string, any>) => boolean, timeoutMs?: number): Promise<Record<string, any>>;
  close(): Promise<void>;
}

/** Splits an envelope into its header and items; throws on a malformed one. */
export function parseEnvelope(buf: Buffer): Envelope {
  let pos = 0;
  const line = (): Buffer => {
    const nl = buf.indexOf(0x0a, pos);
    const end = nl === -1 ? buf.length : nl;
    const out = buf.subarray(pos, end);
    pos = end + 1;
    return out;
  };
  const header = JSON.parse(line().toString('utf8')) as Record<string, unknown>;
  const items: EnvelopeItem[] = [];
  while (pos < buf.length) {
    const h = line();
    if (h.length === 0) continue;
    const ih = JSON.parse(h.toString('utf8')) as EnvelopeItem['header'];
    let body: Buffer;
    if (typeof ih.length === 'number') {
      body = buf.subarray(pos, pos + ih.length);
      if (body.length !== ih.length) throw new Error(`item ${ih.type}: payload shorter than its length`);
      pos += ih.length;
      if (buf[pos] === 0x0a) pos++;
    } else body = line();
    const text = body.toString('utf8');
    let payload: unknown = text;
    try {
      payload = JSON.parse(text);
    } catch {
      // Not JSON: kept as text.
    }
    items.push({ header: ih, payload });
  }
  return { header, items, raw: buf.toString('utf8') };
}

export async function startSentryIngest(publicKey = 'publickey', project = '1'): Promise<SentryIngest> {
  const envelopes: Envelope[] = [];
  const server = await startLoopbackServer((req, body, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method !== 'POST' || url.pathname !== `/api/${project}/envelope/`) {
      res.writeHead(404).end();
      return;
    }
    const auth = String(req.headers['x-sentry-auth'] ?? '');
    if (!auth.includes(`sentry_key=${publicKey}`) && url.searchParams.get('sentry_key') !== publicKey) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"detail":"missing authorization information"}');
      return;
    }
    try {
      const env = parseEnvelope(decoded(req, body));
      envelopes.push(env);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: env.header.event_id ?? null }));
    } catch (e) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ detail: (e as Error).message }));
    }
  });
  const events = () => envelopes.flatMap((e) => e.items.filter((i) => i.header.type === 'event').map((i) => i.payload as Record<string, any>));
  return {
    dsn: `http://${publicKey}@127.0.0.1:${server.port}/${project}`,
    envelopes,
    get events() {
      return events();
    },
    waitForEvent: (pred, timeoutMs = 30_000) =>
      server.waitFor(
        () => events().find(pred),
        timeoutMs,
        () => `Sentry ingest: no matching event within ${timeoutMs} ms (${events().length} events received)`,
      ),
    close: () => server.close(),
  };
}
