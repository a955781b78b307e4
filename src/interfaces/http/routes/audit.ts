import { z } from 'zod';
import { defineRoute, type RouteDef } from '../route.js';

const entry = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.string(),
  role: z.string(),
  action: z.string(),
  params: z.record(z.string(), z.unknown()),
  result: z.enum(['ok', 'denied', 'error']),
  error_code: z.string().nullable(),
  request_id: z.string().nullable(),
  ip: z.string().nullable(),
  prev_hash: z.string(),
  hash: z.string(),
});

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  actor: z.string().max(200).optional(),
  from: z.string().max(40).optional().describe('ISO 8601 or ms since the epoch, inclusive'),
  to: z.string().max(40).optional().describe('ISO 8601 or ms since the epoch, inclusive'),
});

/** The audit log, for auditors and admins (permission `audit`). */
export const auditRoutes: RouteDef[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/audit',
    permission: 'audit',
    summary: 'Audit log entries, newest first (pass next_cursor as cursor for the next page)',
    tags: ['audit'],
    query: listQuery,
    response: z.object({ entries: z.array(entry), next_cursor: z.string().nullable() }),
    handler: ({ query }, { api }) => api.audit.list(query),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/audit/verify',
    permission: 'audit',
    summary: 'Verify the hash chain: ok, entries checked, and the first altered, missing or reordered entry',
    tags: ['audit'],
    response: z.object({
      ok: z.boolean(),
      checked: z.number().int(),
      from_seq: z.number().int(),
      first_problem: z.object({ seq: z.number().int(), problem: z.enum(['altered', 'missing', 'reordered']), detail: z.string() }).optional(),
    }),
    handler: (_input, { api }) => api.audit.verify(),
  }),
];
