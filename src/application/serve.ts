import { isIP } from 'node:net';
import { FfeError } from '../core/errors.js';
import type { FfeApi } from './api.js';

/** Loopback addresses only this machine can reach: 127.0.0.0/8, ::1 (and its IPv4-mapped form), `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return false;
}

/** Where `ffe serve` listens: the flags win over `server.host` / `server.port`. */
export function listenAddress(api: FfeApi, over: { host?: string; port?: number }): { host: string; port: number } {
  const s = api.system.serverSettings();
  return { host: over.host ?? s.host, port: over.port ?? s.port };
}

/**
 * Refuses to expose the API beyond this machine while nobody could authenticate to it: on a
 * non-loopback address with no user and no API key, every route would answer 401 to everyone
 * and the first credential could only be made locally anyway.
 */
export async function checkBind(api: FfeApi, host: string): Promise<{ hasCredentials: boolean }> {
  const hasCredentials = await api.auth.hasCredentials();
  if (!hasCredentials && !isLoopbackHost(host))
    throw new FfeError(
      'config',
      'SERVE_UNPROTECTED_BIND',
      `refusing to bind ${host}: no user or API key exists yet; create one first (\`ffe user create NAME --role admin\` or \`ffe apikey create --name N --role R\`) or bind 127.0.0.1`,
    );
  return { hasCredentials };
}

/**
 * What the service does once it listens: jobs a killed process left behind are settled or
 * re-queued, and the agent carries on as the operator last asked (running resumes through
 * position recovery; stopped and emergency-stopped stay so). Every domain event must already go
 * into the audit log (`api.audit.followDomainEvents()`, which the CLI's `withApi` subscribes once).
 */
export async function startService(api: FfeApi) {
  const jobs = await api.jobs.recover();
  const bot = await api.bot.resume();
  const forgotten = await api.bot.forgetIdempotencyKeys();
  // Hourly, so a server that runs for months keeps the key table small; the runtime stops it when it closes.
  api.runtime.housekeeping(IDEMPOTENCY_PRUNE_EVERY_MS, () => api.bot.forgetIdempotencyKeys());
  return { jobs, bot, idempotency_keys_forgotten: forgotten };
}

/** How often a running service forgets expired Idempotency-Keys. */
export const IDEMPOTENCY_PRUNE_EVERY_MS = 3_600_000;

/**
 * The non-HTTP half of a drain, after the server stopped taking requests: the agent loop stops
 * without changing the persisted requested state (a restart resumes it) and an in-flight order
 * settles. The caller closes the runtime afterwards (the CLI's `withApi` does), which also stops
 * the service's housekeeping.
 */
export async function stopService(api: FfeApi): Promise<void> {
  await api.bot.shutdown();
}
