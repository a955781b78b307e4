import { z } from 'zod';
import { ACTIONS } from '../../../core/decision.js';
import { defineRoute, type RouteDef } from '../route.js';
import { assetPair, limitQuery, recordId } from './schemas.js';

export const decisionsRoutes: RouteDef[] = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/decisions',
    permission: 'backtest',
    summary: 'analyze a pair now and store the decision',
    tags: ['decisions'],
    body: z.strictObject({ asset_pair: assetPair, provider: z.string().min(1).max(64).optional() }),
    status: 201,
    audit: 'decision.create',
    handler: ({ body }, { api }) => api.trading.analyze(body.asset_pair, { provider: body.provider }).then((r) => ({ decision: r.decision, engine_ms: r.engineMs })),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/decisions',
    permission: 'read',
    summary: 'stored decisions, newest first, a page at a time (next_cursor continues), filtered by asset, action, provider, executed; summaries unless view=full',
    tags: ['decisions'],
    query: z.strictObject({
      limit: limitQuery(50, 500),
      asset: assetPair.optional(),
      action: z.enum(ACTIONS).optional(),
      provider: z.string().min(1).max(64).optional(),
      executed: z
        .enum(['true', 'false'])
        .transform((v) => v === 'true')
        .optional(),
      cursor: z.string().max(256).optional(),
      view: z.enum(['summary', 'full']).default('summary'),
    }),
    handler: ({ query }, { api }) =>
      api.trading.decisionsPage({ limit: query.limit, asset: query.asset, action: query.action, provider: query.provider, executed: query.executed, cursor: query.cursor, full: query.view === 'full' }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/decisions/:id',
    permission: 'read',
    summary: 'one stored decision',
    tags: ['decisions'],
    params: z.strictObject({ id: recordId }),
    handler: ({ params }, { api }) => api.trading.decision(params.id),
  }),
];
