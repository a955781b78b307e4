import { z } from 'zod';
import { defineRoute, type RouteDef } from '../route.js';
import { limitQuery } from './schemas.js';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const portfolioRoutes: RouteDef[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/status',
    permission: 'read',
    summary: 'engine status: trading halts, store, data, providers, breakers',
    tags: ['portfolio'],
    handler: (_i, { api }) => api.system.status(),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/portfolio',
    permission: 'read',
    summary: 'the account: equity, balances, positions, exposure',
    tags: ['portfolio'],
    handler: (_i, { api }) => api.trading.dashboard(),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/portfolio/history',
    permission: 'read',
    summary: 'the equity curve (at most `points`, the last kept) with peak and drawdown per point; P&L today and overall',
    tags: ['portfolio'],
    query: z.strictObject({
      from: z.string().max(40).optional().describe('ISO 8601 or ms since the epoch, inclusive (default: 30 days before to)'),
      to: z.string().max(40).optional().describe('ISO 8601 or ms since the epoch, inclusive (default: now)'),
      points: limitQuery(500, 5000).describe('at most this many points (1 to 5000, default 500)'),
    }),
    handler: ({ query }, { api }) => api.insight.equityHistory(query),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/memory/weights',
    permission: 'read',
    summary: "the portfolio memory's provider weights (?history=true: every change)",
    tags: ['portfolio'],
    query: z.strictObject({ history: bool.default(false) }),
    handler: ({ query }, { api }) => api.insight.memoryWeights(query.history),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/monitor/metrics',
    permission: 'read',
    summary: 'closed trades: summary and the latest ones',
    tags: ['portfolio'],
    query: z.strictObject({ limit: limitQuery(50, 1000) }),
    handler: ({ query }, { api }) => api.insight.monitorMetrics(query.limit),
  }),
];
