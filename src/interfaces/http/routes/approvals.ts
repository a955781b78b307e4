import { z } from 'zod';
import { defineRoute, type RouteDef } from '../route.js';
import { recordId } from './schemas.js';

export const approvalsRoutes: RouteDef[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/approvals',
    permission: 'read',
    summary: 'approvals (all, or of one status)',
    tags: ['approvals'],
    query: z.strictObject({ status: z.enum(['pending', 'approved', 'rejected', 'expired']).optional() }),
    handler: async ({ query }, { api }) => ({ approvals: await api.trading.approvals.list(query.status) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/approvals/:decision_id',
    permission: 'trade',
    summary: "approve (executes the decision through the risk gate) or reject a pending decision; the id is the decision's or the approval's",
    tags: ['approvals'],
    params: z.strictObject({ decision_id: recordId }),
    body: z.strictObject({ status: z.enum(['approved', 'rejected']), notes: z.string().max(2000).nullable().optional() }),
    handler: ({ params, body }, { api, principal }) => api.trading.approvals.decide(params.decision_id, body.status, body.notes ?? null, principal),
  }),
];
