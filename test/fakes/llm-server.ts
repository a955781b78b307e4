/**
 * Shared machinery of the fake LLM servers (Ollama, OpenAI-compatible) on 127.0.0.1:0: modes,
 * request recording (headers included, so tests can check that a key is sent), delays and
 * hanging sockets that `close()` tears down.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FakeLlmMode =
  /** Answer with `answer` at once. */
  | 'good'
  /** Answer with `answer` after `delayMs`. */
  | 'slow'
  /** A well-formed reply whose model text is not a JSON decision. */
  | 'malformed'
  /** HTTP 500 with an error body. */
  | 'http500'
  /** HTTP 400 whose long error message echoes the Authorization header, as a careless proxy does. */
  | 'echo-auth'
  /** HTTP 200 whose body is not JSON (a proxy's HTML page). */
  | 'not-json'
  /** Accept the request and never answer. */
  | 'hang'
  /** A well-formed reply of about 2 MB (a runaway model or server): must hit the reply size cap. */
  | 'huge';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface FakeLlmOptions {
  mode?: FakeLlmMode;
  /** The model's text: an object is sent as its JSON. */
  answer?: unknown;
  delayMs?: number;
  usage?: { prompt: number; completion: number };
  models?: string[];
  /** Structured-output modes this server rejects with 400, as servers without that support do. */
  refuseFormats?: FormatKind[];
}

export type FormatKind = 'json_schema' | 'json_object' | 'none';

export const GOOD_ANSWER = { action: 'BUY', confidence: 72, reasoning: 'fake model: uptrend confirmed by MACD', stop_loss_fraction: 0.03, take_profit_fraction: null, size_fraction: null };
export const MALFORMED_TEXT = 'I would probably buy here {action: BUY, confidence: very sure';

export interface FakeLlmServer {
  url: string;
  requests: RecordedRequest[];
  /** Requests to the generation endpoint only. */
  readonly generations: RecordedRequest[];
  options: Required<Omit<FakeLlmOptions, 'answer'>> & { answer: unknown };
  close(): Promise<void>;
}

export interface WireFormat {
  generatePath: string;
  modelsPath: string;
  reply(text: string, o: FakeLlmServer['options'], body: Record<string, unknown>): unknown;
  models(names: string[]): unknown;
  error(message: string): unknown;
  /** The structured-output mode a generation request asks for. */
  formatOf(body: Record<string, unknown>): FormatKind;
  /** The server's words when it does not support `kind`. */
  refusal(kind: FormatKind): string;
  /** Header carrying the key, echoed by `echo-auth` (default authorization). */
  keyHeader?: string;
}

/** A reply body already serialised (JSON too deep for JSON.stringify, as a model may send). */
export class RawJson {
  constructor(readonly text: string) {}
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve) => {
    let s = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (s += d));
    req.on('end', () => resolve(s));
  });

export async function startFakeLlm(wire: WireFormat, opts: FakeLlmOptions = {}): Promise<FakeLlmServer> {
  const sockets = new Set<Socket>();
  const options = {
    mode: opts.mode ?? 'good',
    answer: opts.answer ?? GOOD_ANSWER,
    delayMs: opts.delayMs ?? 300,
    usage: opts.usage ?? { prompt: 321, completion: 54 },
    models: opts.models ?? ['fake-model'],
    refuseFormats: opts.refuseFormats ?? [],
  };
  const requests: RecordedRequest[] = [];
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body instanceof RawJson ? body.text : JSON.stringify(body));
  };
  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      // Recorded as text.
    }
    const path = (req.url ?? '/').split('?')[0];
    requests.push({ method: req.method ?? '', path, headers: req.headers, body });
    if (req.method === 'GET' && path === wire.modelsPath) return send(res, 200, wire.models(options.models));
    if (req.method !== 'POST' || path !== wire.generatePath) return send(res, 404, wire.error(`no route ${req.method} ${path}`));
    const mode = options.mode;
    const kind = wire.formatOf((body ?? {}) as Record<string, unknown>);
    if (options.refuseFormats.includes(kind)) return send(res, 400, wire.error(wire.refusal(kind)));
    if (mode === 'hang') return;
    if (mode === 'http500') return send(res, 500, wire.error('fake server exploded'));
    // The header lands across the 200-character cut error messages get.
    if (mode === 'echo-auth') return send(res, 400, wire.error(`${'request rejected; '.repeat(9)} auth=${String(req.headers[wire.keyHeader ?? 'authorization'] ?? '')}`));
    if (mode === 'not-json') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end('<html><body>502 Bad Gateway</body></html>');
    }
    if (mode === 'slow') await new Promise((r) => setTimeout(r, options.delayMs));
    if (res.destroyed) return;
    const text =
      mode === 'huge'
        ? JSON.stringify({ ...GOOD_ANSWER, reasoning: 'x'.repeat(2 * 1024 * 1024) })
        : mode === 'malformed'
          ? MALFORMED_TEXT
          : typeof options.answer === 'string'
            ? options.answer
            : JSON.stringify(options.answer);
    send(res, 200, wire.reply(text, options, body as Record<string, unknown>));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get generations() {
      return requests.filter((r) => r.path === wire.generatePath);
    },
    options,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Runs `fn` while `server` answers well but refuses the structured-output modes `kinds`. */
export async function whileRefusing<T>(server: FakeLlmServer, kinds: FormatKind[], fn: () => Promise<T>): Promise<T> {
  server.options.mode = 'good';
  server.options.refuseFormats = kinds;
  try {
    return await fn();
  } finally {
    server.options.refuseFormats = [];
  }
}
