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
