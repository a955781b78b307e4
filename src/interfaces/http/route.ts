import type { z } from 'zod';
import type { FfeApi } from '../../application/api.js';
import type { Principal } from '../../application/auth/principal.js';
import type { Permission } from '../../application/auth/roles.js';

/** What a handler gets besides its parsed input: the application, the caller, and the request's identity. */
export interface RouteContext {
  api: FfeApi;
  principal: Principal;
  /** The request id every log line, audit entry and error of this request carries. */
  requestId: string;
  /** The `Idempotency-Key` header, when sent. */
  idempotencyKey: string | undefined;
  /** The caller's address (audit). */
  ip: string;
}

type Schema = z.ZodType;
type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

/**
 * One API route as every group declares it (src/interfaces/http/routes/<group>.ts): method, path,
 * the permission it needs (the server refuses to register a route without one), zod schemas that
 * validate input and document it in OpenAPI, and a handler that is one use-case call. Routes whose
 * `audit` names an action are recorded in the audit log with their parameters (secrets redacted)
 * and result. Handlers throw `FfeError`s; the server maps them to the one error shape.
 */
export interface RouteDef<B extends Schema | undefined = Schema | undefined, Q extends Schema | undefined = Schema | undefined, P extends Schema | undefined = Schema | undefined> {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Fastify path syntax: `/api/v1/decisions/:id`. */
  url: string;
  /**
   * What the caller's role must hold. `anonymous` is only for exchanging credentials for tokens
   * (login, refresh, logout: the body carries the credential); the route walk test pins that list.
   */
  permission: Permission | 'anonymous';
  summary: string;
  tags: string[];
  body?: B;
  query?: Q;
  params?: P;
  /** Response body schema (OpenAPI); documented, not enforced. */
  response?: Schema;
  /** HTTP status of a success (default 200). */
  status?: number;
  /** Audit action name (`bot.start`, `trade.manual`); state-changing routes set it. */
  audit?: string;
  handler(input: { body: Infer<B>; query: Infer<Q>; params: Infer<P> }, ctx: RouteContext): Promise<unknown>;
}

/** Keeps a route's handler input typed from its schemas. */
export const defineRoute = <B extends Schema | undefined = undefined, Q extends Schema | undefined = undefined, P extends Schema | undefined = undefined>(r: RouteDef<B, Q, P>): RouteDef => r as unknown as RouteDef;
