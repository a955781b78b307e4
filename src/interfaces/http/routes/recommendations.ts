import { z } from 'zod';
import { MAX_HISTORY, MAX_NOTE } from '../../../application/investor/recommendations.js';
import { defineRoute, type RouteDef } from '../route.js';

const tags = ['recommendations'];
const action = z.enum(['BUY', 'SELL', 'HOLD']);
const run = z.object({ id: z.string(), started_at: z.string(), finished_at: z.string().nullable(), pairs: z.number(), recommendations: z.number(), errors: z.number() });
const recommendation = z.object({
  id: z.string(),
  run_id: z.string(),
  pair: z.string(),
  created_at: z.string(),
  action,
  confidence: z.number().min(0).max(100),
  horizon: z.string().describe('e.g. "5d"'),
  horizon_ends_at: z.string(),
  entry: z.number(),
  stop: z.number().nullable(),
  target: z.number().nullable(),
  reasoning: z.string(),
  votes: z.array(z.object({ provider: z.string(), action, confidence: z.number() })),
  disclosure: z.string().describe('recommendations.disclosure: not investment advice; the risk'),
  decision_id: z.string().nullable(),
  feedback: z.object({ useful: z.boolean(), acted: z.boolean(), note: z.string().nullable(), at: z.string() }).nullable(),
  outcome: z.object({
    status: z.enum(['pending', 'target', 'stop', 'horizon']),
    exit_price: z.number().nullable(),
    return_after_costs: z.number().nullable(),
    correct: z.boolean().nullable(),
    measured_at: z.string().nullable(),
  }),
});
const accuracyRow = { samples: z.number(), hits: z.number(), accuracy: z.number().nullable(), avg_return: z.number().nullable() };
const idParams = z.object({ id: z.string().min(1).max(64) });

/** Daily recommendations: the caller's own; running the daily run by hand is an operator's. */
export const recommendationRoutes: RouteDef[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/recommendations/daily',
    permission: 'read',
    summary: "The latest daily run and the caller's recommendations from it",
    tags,
    response: z.object({ run: run.nullable(), recommendations: z.array(recommendation) }),
    handler: (_i, { api, principal }) => api.investor.recommendations.daily(principal),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/recommendations/history',
    permission: 'read',
    summary: "The caller's recommendations, newest first, a page at a time (optionally of one pair)",
    tags,
    query: z.object({ limit: z.coerce.number().int().min(1).max(MAX_HISTORY).optional(), cursor: z.string().max(200).optional(), pair: z.string().min(1).max(40).optional() }),
    response: z.object({ recommendations: z.array(recommendation), next_cursor: z.string().nullable() }),
    handler: ({ query }, { api, principal }) => api.investor.recommendations.history(principal, query),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/recommendations/accuracy',
    permission: 'read',
    summary: 'Recommendation accuracy per provider and per feedback class (a sample separate from closed trades; `factor` is its weight where blended)',
    tags,
    response: z.object({
      factor: z.number(),
      providers: z.array(z.object({ provider: z.string(), ...accuracyRow })),
      feedback_classes: z.array(z.object({ class: z.enum(['useful', 'not_useful', 'acted', 'not_acted', 'unrated']), ...accuracyRow })),
    }),
    handler: (_i, { api }) => api.investor.recommendations.accuracy(),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/recommendations/run',
    permission: 'operate',
    summary: 'Run the daily run now: every watched pair analysed once; recommendations arrive as RecommendationCreated events (409 while one runs)',
    tags,
    query: z.object({ as_of: z.iso.datetime({ offset: true }).optional().describe('analyse as of this past moment on the data known then (a backfill; default now)') }),
    response: z.object({ run }),
    status: 202,
    audit: 'recommendations.run',
    handler: async ({ query }, { api }) => {
      const { run: r } = await api.investor.recommendations.runNow(query.as_of === undefined ? undefined : Date.parse(query.as_of));
      return { run: r };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/recommendations/:id',
    permission: 'read',
    summary: "One of the caller's recommendations",
    tags,
    params: idParams,
    response: recommendation,
    handler: ({ params }, { api, principal }) => api.investor.recommendations.get(principal, params.id),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/recommendations/:id/feedback',
    permission: 'read',
    summary: 'Rate a recommendation: useful or not, acted on or not, an optional note (it feeds the memory only with the feedback_learning consent)',
    tags,
    params: idParams,
    body: z.object({ useful: z.boolean(), acted: z.boolean(), note: z.string().max(MAX_NOTE).nullable().optional() }),
    response: recommendation,
    audit: 'recommendation.feedback',
    handler: ({ params, body }, { api, principal }) => api.investor.recommendations.rate(principal, params.id, body),
  }),
];
