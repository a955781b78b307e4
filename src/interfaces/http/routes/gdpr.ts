import { z } from 'zod';
import { defineRoute, type RouteDef } from '../route.js';

const name = z.string().trim().min(1).max(64);
const erasure = z.object({ erased: z.literal(true), pseudonym: z.string(), records: z.number().int() });
const exportDocument = z.object({ exported_at: z.string(), subject: z.object({ id: z.string(), name: z.string() }), sections: z.record(z.string(), z.unknown()) });

/**
 * GDPR (docs/gdpr.md): a user's own export and account deletion, and an admin's export and erasure
 * of any user. The erasures are not route-audited (that entry would name the user after their
 * erasure): the use case records the erasure itself, under the pseudonym; a refused call is
 * still recorded as denied by the server.
 */
export const gdprRoutes: RouteDef[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/gdpr/export',
    permission: 'read',
    summary: "everything held about the caller (profile, roles, keys, sessions, audit entries, every area's data) as one JSON document",
    tags: ['gdpr'],
    response: exportDocument,
    handler: (_, { api, principal }) => api.gdpr.exportOwn(principal),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/gdpr/delete-account',
    permission: 'read',
    summary: "erase the caller's account (confirm with the own user name and password): personal data deleted, kept records pseudonymised",
    tags: ['gdpr'],
    body: z.strictObject({ confirm: name, password: z.string().min(1).max(1024) }),
    response: erasure,
    handler: ({ body }, { api, principal, requestId }) => api.gdpr.deleteAccount(body, principal, { requestId }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/users/:name/export',
    permission: 'admin',
    summary: "a user's GDPR export (also of an erased user, by its pseudonym)",
    tags: ['gdpr', 'users'],
    params: z.strictObject({ name }),
    response: exportDocument,
    handler: ({ params }, { api, principal }) => api.gdpr.exportUser(params.name, principal),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/users/:name/erase',
    permission: 'admin',
    summary: 'erase a user (GDPR): personal data deleted, the user and kept records pseudonymised; the audit chain stays verifiable',
    tags: ['gdpr', 'users'],
    params: z.strictObject({ name }),
    response: erasure,
    handler: ({ params }, { api, principal, requestId, ip }) => api.gdpr.eraseUser(params.name, principal, { requestId, ip }),
  }),
];
