import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../application/auth/principal.js';
import { principalLabel } from '../../application/auth/principal.js';
import { can, rolesHolding, type Permission } from '../../application/auth/roles.js';
import { FfeError, isFfeError } from '../../core/errors.js';
import type { Authenticate } from './options.js';

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerOf(header: string | string[] | undefined): string | null {
  const h = Array.isArray(header) ? header[0] : header;
  if (!h) return null;
  const m = /^Bearer[ ]+(\S{1,4096})\s*$/i.exec(h);
  return m ? m[1] : null;
}

/**
 * The caller behind a bearer token. A missing or refused token is 401; the authenticator's own
 * 4xx FfeErrors (a locked account) pass as they are, and so do its 5xx (the store is down: the
 * caller's credentials may be fine). Anything else it throws counts as refused credentials.
 */
export async function authenticateBearer(bearer: string | null, authenticate: Authenticate): Promise<Principal> {
  if (!bearer) throw new FfeError('input', 'UNAUTHENTICATED', 'authentication required: send Authorization: Bearer <access token or API key>');
  try {
    return await authenticate(bearer);
  } catch (e) {
    if (isFfeError(e) && e.httpStatus !== 400) throw e;
    throw new FfeError('input', 'UNAUTHENTICATED', 'invalid or expired credentials');
  }
}

/** 403 naming the permission and the least role holding it, unless the principal's role holds it. */
export function authorize(principal: Principal, permission: Permission): void {
  if (can(principal.role, permission)) return;
  throw new FfeError('input', 'FORBIDDEN', `${principalLabel(principal)} (role ${principal.role}) lacks the "${permission}" permission; it needs ${rolesHolding(permission)}`);
}

/** onRequest hook body: authenticates and authorizes the request for `permission`, before its body is read. */
export async function guardRequest(req: FastifyRequest, permission: Permission, authenticate: Authenticate): Promise<void> {
  const principal = await authenticateBearer(bearerOf(req.headers.authorization), authenticate);
  req.principal = principal;
  authorize(principal, permission);
}
