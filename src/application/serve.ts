import { isIP } from 'node:net';
import { FfeError } from '../core/errors.js';
import type { FfeApi } from './api.js';
import { EventRelay } from './cluster/event-relay.js';
import { Leadership } from './cluster/leadership.js';

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
 * What the service does once it listens. Servers sharing one store elect a leader
 * (cluster/leadership.ts): the leader settles or re-queues jobs a killed process left behind and
 * runs the agent as the operator last asked (running resumes through position recovery; stopped
 * and emergency-stopped stay so), applying requests made on any instance; the others serve the
 * API and take over when the leader's lease lapses. Events committed anywhere reach this
 * instance's WebSocket clients (cluster/event-relay.ts). Every domain event must already go into
 * the audit log (`api.audit.followDomainEvents()`, which the CLI's `withApi` subscribes once).
 */
export async function startService(api: FfeApi, o: { log?: (message: string) => void } = {}) {
  const rt = api.runtime;
  const s = api.system.serverSettings();
  const log = o.log ?? (() => undefined);
  let jobs: Awaited<ReturnType<FfeApi['jobs']['recover']>> | null = null;
  const leadership = new Leadership(rt.app.store.leases, s.instanceId, s.leaderTtlSeconds * 1000, {
    gained: async () => {
      jobs = await api.jobs.recover();
      await api.bot.resume();
    },
    lost: () => api.bot.shutdown(),
    log,
  });
  api.bot.follow(leadership);
  rt.setTradingLeaseTtl(s.leaderTtlSeconds * 1000);
  const nudge = s.redisUrl ? await (await import('./cluster/redis-nudge.js')).redisNudge(s.redisUrl, s.instanceId, log) : null;
  const relay = new EventRelay({ outbox: rt.app.store.events, bus: rt.events, pollMs: nudge ? RELAY_POLL_WITH_REDIS_MS : RELAY_POLL_MS, nudge, log });
  await relay.start();
  await leadership.start();
  // The daily recommendation run: scheduled on every instance, started by the leader only.
  const recommendations = api.investor.schedule({ isLeader: () => leadership.isLeader, log });
  // A follower's start-up recovers nothing: jobs in flight belong to the leader (or, with jobs.redis_url, to BullMQ).
  jobs ??= { interrupted: [], requeued: [] };
  // Its own timer, not the runtime's background queue: stopping the agent waits for an order in flight, which must not wait behind it.
  let reconciling: Promise<void> = Promise.resolve();
  const reconcileTimer = setInterval(() => {
    reconciling = reconciling.then(() => api.bot.reconcile()).catch((e: unknown) => log(`reconcile: ${(e as Error).message}`));
  }, RECONCILE_EVERY_MS);
  reconcileTimer.unref();
  const stopReconcile = async () => {
    clearInterval(reconcileTimer);
    await reconciling;
  };
  const forgotten = await api.bot.forgetIdempotencyKeys();
  // Hourly, so a server that runs for months keeps the key table small; the runtime stops it when it closes.
  api.runtime.housekeeping(IDEMPOTENCY_PRUNE_EVERY_MS, () => api.bot.forgetIdempotencyKeys());
  cluster.set(api, {
    async stop() {
      recommendations?.stop();
      await stopReconcile();
      await leadership.stop();
      await relay.close();
    },
  });
  const bot = await api.bot.status();
  return { jobs, bot, idempotency_keys_forgotten: forgotten, cluster: await leadership.status() };
}

/** How often the leader applies requests recorded on other instances. */
export const RECONCILE_EVERY_MS = 1000;
/** How often the event relay reads the shared outbox: the only path without Redis, a safety net with it. */
const RELAY_POLL_MS = 500;
const RELAY_POLL_WITH_REDIS_MS = 5000;

/** What startService started, per API, for stopService. */
const cluster = new WeakMap<FfeApi, { stop(): Promise<void> }>();

/** How often a running service forgets expired Idempotency-Keys. */
export const IDEMPOTENCY_PRUNE_EVERY_MS = 3_600_000;

/**
 * The non-HTTP half of a drain, after the server stopped taking requests: the agent loop stops
 * without changing the persisted requested state (a restart resumes it) and an in-flight order
 * settles. The caller closes the runtime afterwards (the CLI's `withApi` does), which also stops
 * the service's housekeeping.
 */
export async function stopService(api: FfeApi): Promise<void> {
  // Leaving the election stops the agent (the requested state stays) and frees the lease for a follower at once.
  await cluster.get(api)?.stop();
  cluster.delete(api);
  await api.bot.shutdown();
}
