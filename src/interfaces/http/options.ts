import type { FastifyServerOptions } from 'fastify';
import type { Registry } from 'prom-client';
import type { Principal } from '../../application/auth/principal.js';
import type { ServerSettings } from '../../application/service.js';
import type { RouteDef } from './route.js';

/** Resolves a bearer token (access JWT or API key) to its principal; throws (an FfeError, 401) when it is not valid. */
export type Authenticate = (bearer: string) => Promise<Principal>;

/** One audited call, as the server reports it (the audit side redacts `params`). */
export interface AuditEntry {
  principal: Principal | null;
  action: string;
  params: Record<string, unknown>;
  result: 'ok' | 'denied' | 'error';
  error?: string;
  requestId: string;
  ip: string;
}

export interface ServerOptions {
  authenticate: Authenticate;
  audit?: (entry: AuditEntry) => Promise<unknown>;
  settings: ServerSettings;
  /** Fastify's logger (pino options or false); request URLs are logged with `token` query values masked. */
  logger?: FastifyServerOptions['logger'];
  /** The route groups to serve (default: every group in routes/index.ts). */
  routes?: readonly RouteDef[];
  /** The Prometheus registry /metrics serves (default: a new one with the process metrics). */
  metrics?: Registry;
  /** WebSocket heartbeat period and the backlog at which a slow client is dropped. */
  websocket?: { heartbeatMs?: number; maxBufferedBytes?: number };
  /** The built dashboard served at / (default: the package's dist/web); null serves none. */
  webRoot?: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set once the bearer token authenticated. */
    principal: Principal | null;
    /** The error this request answered with (the audit records it). */
    failure: string | null;
  }
  interface FastifyContextConfig {
    /** The permission the route needs; probes and docs have none (public). */
    permission?: import('../../application/auth/roles.js').Permission | 'anonymous';
    /** Audit action of a state-changing route. */
    audit?: string;
    /** The route only answers 405 for a method another route serves. */
    methodNotAllowed?: boolean;
  }
}
