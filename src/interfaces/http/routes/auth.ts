import { z } from 'zod';
import { ROLES } from '../../../application/auth/roles.js';
import { defineRoute, type RouteDef } from '../route.js';
import { recordId } from './schemas.js';

const name = z.string().trim().min(1).max(64);
const secret = z.string().min(1).max(1024);
const tokens = (r: { access_token: string; refresh_token: string; token_type: string; expires_in: number; principal: { name: string; role: string; kind: string } }) => ({
  access_token: r.access_token,
  refresh_token: r.refresh_token,
  token_type: r.token_type,
  expires_in: r.expires_in,
  principal: { kind: r.principal.kind, name: r.principal.name, role: r.principal.role },
});

/**
 * Logging in and the admin's users and API keys. Login, refresh and logout are the only routes a
 * caller reaches without a token (they exchange a credential for one); every other one needs `admin`,
 * except MFA enrolment, which is the caller's own.
 */
export const authRoutes: RouteDef[] = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/login',
    permission: 'anonymous',
    summary: 'log in: an access token (short-lived JWT) and a rotating refresh token; growing delay then lockout after failures',
    tags: ['auth'],
    body: z.strictObject({ name, password: secret, totp: z.string().max(16).optional() }),
    audit: 'auth.login',
    handler: async ({ body }, { api, ip }) => tokens(await api.auth.login(body, ip)),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/refresh',
    permission: 'anonymous',
    summary: 'new tokens for a refresh token (it is spent; a spent one coming back revokes the whole login)',
    tags: ['auth'],
    body: z.strictObject({ refresh_token: secret }),
    handler: async ({ body }, { api }) => tokens(await api.auth.refresh(body.refresh_token)),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/logout',
    permission: 'anonymous',
    summary: 'revoke a refresh token',
    tags: ['auth'],
    body: z.strictObject({ refresh_token: secret }),
    handler: async ({ body }, { api }) => {
      await api.auth.logout(body.refresh_token);
      return { ok: true };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/auth/me',
    permission: 'read',
    summary: 'who the token belongs to',
    tags: ['auth'],
    handler: async (_, { principal }) => ({ kind: principal.kind, name: principal.name, role: principal.role }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/mfa/enroll',
    permission: 'read',
    summary: "start TOTP enrolment of the caller's own user: the secret and otpauth URI, shown once",
    tags: ['auth'],
    audit: 'auth.mfa_enroll',
    handler: async (_, { api, principal }) => api.auth.enrollMfa(principal.name),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/mfa/confirm',
    permission: 'read',
    summary: "confirm TOTP enrolment of the caller's own user with a current code",
    tags: ['auth'],
    body: z.strictObject({ code: z.string().min(1).max(16) }),
    audit: 'auth.mfa_confirm',
    handler: async ({ body }, { api, principal }) => api.auth.confirmMfa(principal.name, body.code),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/users',
    permission: 'admin',
    summary: 'users (never their password hashes or MFA secrets)',
    tags: ['users'],
    handler: async (_, { api }) => ({ users: await api.auth.listUsers() }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/users',
    permission: 'admin',
    summary: 'create a user; without a password one is generated and answered once',
    tags: ['users'],
    status: 201,
    body: z.strictObject({ name, role: z.enum(ROLES), password: secret.optional() }),
    audit: 'user.create',
    handler: ({ body }, { api, principal }) => api.auth.createUser(body, principal),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/users/:name',
    permission: 'admin',
    summary: "change a user's role, or disable the user (ends their sessions)",
    tags: ['users'],
    params: z.strictObject({ name }),
    body: z.strictObject({ role: z.enum(ROLES).optional(), disabled: z.literal(true).optional() }).refine((b) => b.role !== undefined || b.disabled !== undefined, { message: 'give role or disabled' }),
    audit: 'user.update',
    handler: async ({ params, body }, { api, principal }) => {
      const user = body.role ? await api.auth.setRole(params.name, body.role, principal) : null;
      return body.disabled ? api.auth.disableUser(params.name, principal) : user;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/api-keys',
    permission: 'admin',
    summary: 'API keys (prefix, role, last use, revocation; never the key)',
    tags: ['api keys'],
    handler: async (_, { api }) => ({ api_keys: await api.auth.listApiKeys() }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/api-keys',
    permission: 'admin',
    summary: 'create an API key; the key is answered once, only its hash is kept',
    tags: ['api keys'],
    status: 201,
    body: z.strictObject({ name, role: z.enum(ROLES) }),
    audit: 'api_key.create',
    handler: ({ body }, { api, principal }) => api.auth.createApiKey(body, principal),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/api-keys/:id',
    permission: 'admin',
    summary: 'revoke an API key (by id or prefix)',
    tags: ['api keys'],
    params: z.strictObject({ id: recordId }),
    audit: 'api_key.revoke',
    handler: ({ params }, { api, principal }) => api.auth.revokeApiKey(params.id, principal),
  }),
];
