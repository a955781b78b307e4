import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A caller's request id is kept when it is short and plain (it reaches logs and the audit log). */
const SANE = /^[A-Za-z0-9._:-]{1,128}$/;

/** Honours a sane `X-Request-Id`, else makes one. */
export function requestIdOf(req: IncomingMessage): string {
  const h = req.headers['x-request-id'];
  const v = Array.isArray(h) ? h[0] : h;
  return v && SANE.test(v) ? v : randomUUID();
}

/** A URL fit for the log: `token` query values masked (WebSocket clients may authenticate with ?token=). */
export function loggableUrl(url: string): string {
  return url.replace(/([?&](?:token|access_token|api_key)=)[^&#]*/gi, '$1***');
}
