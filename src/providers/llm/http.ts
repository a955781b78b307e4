import { excerpt, ProviderCallError, redact } from './call-error.js';

export interface HttpCall {
  headers?: Record<string, string>;
  signal: AbortSignal;
  /** Values scrubbed from every error message (API keys). */
  secrets?: readonly string[];
  /** Largest reply body read; a longer one is cut off as INVALID_OUTPUT (default 1 MiB, as the CLI providers). */
  maxBytes?: number;
}

export const DEFAULT_MAX_REPLY_BYTES = 1024 * 1024;

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

function networkError(e: unknown, url: string, secrets: readonly string[]): ProviderCallError {
  const err = e as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.code ?? err.cause?.code;
  const msg = redact(err.cause?.message ?? err.message ?? String(e), secrets);
  const where = redact(url, secrets);
  if (code && NETWORK_CODES.has(code)) return new ProviderCallError('UNREACHABLE', `cannot reach ${where}: ${msg}`);
  return new ProviderCallError('ERROR', `request to ${where} failed: ${msg}`);
}

/** `{type, message}` (Anthropic), `{code, message, status}` (Google), else the JSON itself. */
function errorText(e: unknown): string {
  const o = e as { message?: unknown; type?: unknown; status?: unknown };
  if (o && typeof o === 'object' && typeof o.message === 'string') return [o.type ?? o.status, o.message].filter((x) => typeof x === 'string').join(': ');
  return JSON.stringify(e);
}

/**
 * One JSON request. Non-2xx answers are HTTP failures carrying the server's message; a body that
 * is not JSON is INVALID_OUTPUT; connection errors are UNREACHABLE. Aborts propagate as thrown.
 */
export async function httpJson(method: 'GET' | 'POST', url: string, body: unknown, call: HttpCall): Promise<unknown> {
  const secrets = call.secrets ?? [];
  let status: number;
  let text: string;
  try {
    // undici is loaded on the first call, not by every command that merely could make one.
    const { request } = await import('undici');
    const res = await request(url, {
      method,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...call.headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: call.signal,
    });
    status = res.statusCode;
    const max = call.maxBytes ?? DEFAULT_MAX_REPLY_BYTES;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > max) {
        // Stop reading: a runaway server must not fill the memory of the engine.
        res.body.destroy();
        throw new ProviderCallError('INVALID_OUTPUT', `${redact(url, secrets)} answered more than ${max} bytes (providers.<name>.max_reply_bytes)`);
      }
      chunks.push(chunk);
    }
    text = Buffer.concat(chunks).toString('utf8');
  } catch (e) {
    if (e instanceof ProviderCallError) throw e;
    if (call.signal.aborted) throw e;
    throw networkError(e, url, secrets);
  }
  if (status < 200 || status >= 300) {
    let detail = text;
    try {
      const j = JSON.parse(text) as { error?: unknown };
      if (j && typeof j === 'object' && j.error) detail = typeof j.error === 'string' ? j.error : errorText(j.error);
    } catch {
      // Not JSON: keep the raw text.
    }
    // Secrets go before the cut: a key cut in half would no longer be recognised.
    const said = excerpt(redact(detail, secrets)) || '(empty body)';
    throw new ProviderCallError('HTTP', `HTTP ${status} from ${redact(url, secrets)}: ${said}`, said);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ProviderCallError('INVALID_OUTPUT', `${redact(url, secrets)} answered non-JSON: ${excerpt(redact(text, secrets), 120)}`);
  }
}
