import { z } from 'zod';
import { defineRoute, type RouteDef } from '../route.js';
import { recordId } from './schemas.js';

/** The feedback loop and a decision's aftermath, as the dashboard's Decisions and Feedback pages read them. */
export const insightRoutes: RouteDef[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/memory/report',
    permission: 'read',
    summary: "the portfolio memory's report: outcomes, overall and per-provider, per-asset and per-regime performance, current weights",
    tags: ['feedback'],
    handler: (_i, { api }) => api.insight.memoryReport(),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/memory/providers',
    permission: 'read',
    summary: 'per provider: trades judged, win rate, P&L of its own calls and current ensemble weight',
    tags: ['feedback'],
    handler: (_i, { api }) => api.insight.providerPerformance(),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/insight/decisions/:id',
    permission: 'read',
    summary: "what became of a decision: its approval, the risk gate's verdict with reason codes, its execution",
    tags: ['decisions'],
    params: z.strictObject({ id: recordId }),
    handler: ({ params }, { api }) => api.insight.decisionOutcome(params.id),
  }),
];
