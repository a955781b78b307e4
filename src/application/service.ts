import { hostname } from 'node:os';
import { redact } from '../core/redact.js';
import type { Runtime } from './runtime.js';

/** What `ffe serve` needs from the configuration (interfaces never read config themselves). */
export interface ServerSettings {
  host: string;
  port: number;
  corsOrigins: string[];
  bodyLimitBytes: number;
  rateLimit: { max: number; windowSeconds: number };
  redisUrl: string | null;
  trustProxy: boolean;
  /** This server among several on one store (`server.instance_id`, else host name and process id). */
  instanceId: string;
  leaderTtlSeconds: number;
}

/** Most events one catch-up read returns; a reconnecting client reads in pages. */
export const EVENTS_PAGE_MAX = 1000;

/** Use cases of the long-lived service: its settings, its health, and the outbox a reconnecting client catches up from. */
export const serviceUseCases = (rt: Runtime) => {
  const { app } = rt;
  return {
    serverSettings(): ServerSettings {
      const s = app.config.server;
      return {
        host: s.host,
        port: s.port,
        corsOrigins: [...s.cors_origins],
        bodyLimitBytes: s.body_limit_bytes,
        rateLimit: { max: s.rate_limit.max, windowSeconds: s.rate_limit.window_seconds },
        redisUrl: s.redis_url,
        trustProxy: s.trust_proxy,
        instanceId: s.instance_id ?? `${hostname()}-${process.pid}`,
        leaderTtlSeconds: s.leader_ttl_seconds,
      };
    },

    /** Committed domain events after `afterSeq`, ascending, at most `limit` (≤ EVENTS_PAGE_MAX). */
    eventsSince: (afterSeq: number, limit = EVENTS_PAGE_MAX) => app.store.events.since(afterSeq, Math.min(Math.max(1, limit), EVENTS_PAGE_MAX)),

    latestEventSeq: () => app.store.events.latestSeq(),

    /**
     * Can this instance serve requests: its store answers within `timeoutMs`. Null when it does;
     * otherwise the reason, scrubbed (`/ready` then answers 503 so a balancer sends traffic elsewhere).
     */
    async storeProblem(timeoutMs = 2000): Promise<string | null> {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          app.store.ping(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return null;
      } catch (e) {
        return `store (${app.store.engine}) unavailable: ${redact((e as Error).message ?? String(e), rt.secrets)}`;
      } finally {
        clearTimeout(timer);
      }
    },

    /**
     * Is the service able to do its work: the store answers, no venue's circuit breaker is open,
     * providers are configured. `ok: false` (degraded) names what is wrong; errors are scrubbed.
     */
    async health() {
      let store: { ok: boolean; engine: string; error?: string };
      try {
        await app.store.events.latestSeq();
        store = { ok: true, engine: app.store.engine };
      } catch (e) {
        store = { ok: false, engine: app.store.engine, error: redact((e as Error).message ?? String(e), rt.secrets) };
      }
      let breakers: { name: string; state: string; ok: boolean }[] = [];
      let breakersError: string | undefined;
      try {
        breakers = (await app.breakers.list()).map((b) => ({ name: b.name, state: b.state, ok: b.state !== 'OPEN' }));
      } catch (e) {
        breakersError = redact((e as Error).message ?? String(e), rt.secrets);
      }
      const providers = [...app.providers.values()].map((p) => ({ name: p.name, kind: p.kind }));
      const ok = store.ok && !breakersError && breakers.every((b) => b.ok) && providers.length > 0;
      return { ok, store, breakers, ...(breakersError ? { breakersError } : {}), providers, tradingMode: app.config.trading.mode };
    },
  };
};
