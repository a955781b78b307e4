import { z } from 'zod';
import { JOB_KINDS, JOB_PARAMS, JOB_STATUSES, MAX_LIST } from '../../../application/jobs/index.js';
import { defineRoute, type RouteDef } from '../route.js';

const tags = ['backtests'];

/** One body per kind: the docs show each kind's parameters; the use case validates them again (and what needs the config). */
const submitBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('backtest'), params: JOB_PARAMS.backtest }),
  z.object({ kind: z.literal('walk_forward'), params: JOB_PARAMS.walk_forward }),
  z.object({ kind: z.literal('monte_carlo'), params: JOB_PARAMS.monte_carlo }),
  z.object({ kind: z.literal('optimize'), params: JOB_PARAMS.optimize }),
]);

const status = z.enum(JOB_STATUSES as [string, ...string[]]);
const kind = z.enum(JOB_KINDS);
const idParams = z.object({ id: z.string().min(1).max(64) });

const jobView = z.object({
  id: z.string(),
  kind,
  status,
  progress: z.number().min(0).max(1),
  params: z.record(z.string(), z.unknown()),
  result: z.unknown().optional().describe('once succeeded: the backtest, walk-forward, Monte Carlo or optimisation result'),
  error: z.object({ code: z.string(), message: z.string() }).optional().describe('once failed or cancelled'),
  created_at: z.string(),
  started_at: z.string().optional(),
  finished_at: z.string().optional(),
  created_by: z.string(),
});

export const backtestRoutes: RouteDef[] = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/backtests',
    permission: 'backtest',
    summary: 'Submit a backtest, walk-forward, Monte Carlo or optimisation job; it runs in the background (progress on the WebSocket as BacktestProgress events)',
    tags,
    body: submitBody,
    response: z.object({ id: z.string(), kind, status: z.literal('queued'), created_at: z.string() }),
    status: 202,
    audit: 'backtest.submit',
    handler: ({ body }, { api, principal }) => api.jobs.submit(body, principal),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/backtests',
    permission: 'read',
    summary: 'Backtest jobs, newest first (?results=false: without each result, for lists that poll)',
    tags,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(MAX_LIST).optional(),
      status: status.optional(),
      results: z.enum(['true', 'false']).default('true'),
    }),
    response: z.object({ jobs: z.array(jobView) }),
    handler: async ({ query }, { api }) => {
      const jobs = await api.jobs.list({ limit: query.limit, status: query.status as (typeof JOB_STATUSES)[number] | undefined });
      // A result can be hundreds of KB (curves, trades, trials): a polling list asks without them.
      return { jobs: query.results === 'false' ? jobs.map(({ result: _result, ...rest }) => rest) : jobs };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/backtests/:id',
    permission: 'read',
    summary: 'A backtest job: status, progress (0..1), and its result once it succeeded',
    tags,
    params: idParams,
    response: jobView,
    handler: ({ params }, { api }) => api.jobs.get(params.id),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/backtests/:id',
    permission: 'backtest',
    summary: 'Cancel a backtest job: a queued one never starts, a running one is aborted; one that already ended is a 409',
    tags,
    params: idParams,
    response: jobView,
    audit: 'backtest.cancel',
    handler: ({ params }, { api, principal }) => api.jobs.cancel(params.id, principal),
  }),
];
