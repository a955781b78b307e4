import { isRerunnable, notRerunnable } from '../../app/backtest-inputs.js';
import { planWindows } from '../../backtest/walk-forward.js';
import { inputError, isFfeError } from '../../core/errors.js';
import { TIMEFRAME_MS } from '../../core/timeframe.js';
import { newUlid } from '../../lib/fast-ulid.js';
import type { JobRecord, JobStatus } from '../../store/port.js';
import { principalLabel, type Principal } from '../auth/principal.js';
import { backtestUseCases } from '../backtests.js';
import type { Runtime } from '../runtime.js';
import { paramsError, toRequest, validateParams, type AnyJobParams, type BacktestJobKind, type JobParams } from './params.js';
import { interrupted, JobRegistry } from './registry.js';
import { runJobWork } from './work.js';

export { JOB_KINDS, JOB_PARAMS, type AnyJobParams, type BacktestJobKind, type JobParams } from './params.js';
export { backtestResultJson } from './work.js';

export const JOB_STATUSES: readonly JobStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
const FINISHED: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled'];
export const MAX_LIST = 1000;

/** A job as every interface shows it (snake_case, ISO times); `result` only once it succeeded, `error` once it failed or was cancelled. */
export interface JobView {
  id: string;
  kind: BacktestJobKind;
  status: JobStatus;
  progress: number;
  params: AnyJobParams;
  result?: unknown;
  error?: { code: string; message: string };
  created_at: string;
  started_at?: string;
  finished_at?: string;
  created_by: string;
}

const iso = (ms: number | null) => (ms === null ? undefined : new Date(ms).toISOString());

export function jobView(j: JobRecord): JobView {
  return {
    id: j.id,
    kind: j.kind as BacktestJobKind,
    status: j.status,
    progress: j.progress,
    params: j.params as AnyJobParams,
    ...(j.status === 'succeeded' ? { result: j.result } : {}),
    ...(j.error ? { error: j.error } : {}),
    created_at: iso(j.createdAt)!,
    ...(j.startedAt !== null ? { started_at: iso(j.startedAt) } : {}),
    ...(j.finishedAt !== null ? { finished_at: iso(j.finishedAt) } : {}),
    created_by: j.createdBy,
  };
}

/**
 * Backtests as jobs (`POST /api/v1/backtests`, `ffe-ctl backtest run`): submitted, stored, queued,
 * run on the backtest use cases' own path (worker pool, progress events carrying the job id,
 * cancellation), read back by id. One registry per runtime; closing the runtime stops it.
 */
export const jobUseCases = (rt: Runtime) => {
  const backtests = backtestUseCases(rt);
  const registry = new JobRegistry(rt, (kind, params, c) => runJobWork(backtests, kind, params, c));
  rt.beforeClose(() => registry.stop());
  const store = () => rt.app.store;

  const find = async (id: string): Promise<JobRecord> => {
    const j = typeof id === 'string' && id.length <= 64 ? await store().jobs.get(id) : null;
    if (!j) throw inputError('JOB_NOT_FOUND', `no backtest job "${String(id).slice(0, 64)}"`);
    return j;
  };

  /** What needs the configuration: the source exists (and, for searches, can be re-run), walk-forward windows fit the span. */
  const checkAgainstConfig = (kind: BacktestJobKind, p: AnyJobParams) => {
    const app = rt.app;
    if (!p.strategy) {
      const name = p.provider ?? app.config.decision_engine.ai_provider;
      if (!app.providers.has(name)) throw paramsError('params.provider', `unknown provider "${name}"; configured: ${[...app.providers.keys()].join(', ')}`, 'PROVIDER_UNKNOWN');
      if (kind !== 'backtest' && kind !== 'monte_carlo' && !isRerunnable(app, name)) throw paramsError('params.provider', notRerunnable(name).message, 'PROVIDER_NOT_RERUNNABLE');
    }
    if (kind === 'walk_forward') {
      const w = p as JobParams['walk_forward'];
      const req = toRequest(p);
      const wf = app.config.backtest.walk_forward;
      try {
        planWindows(req.start, req.end, w.train_ratio ?? wf.train_ratio, w.windows ?? wf.windows, !!w.anchored, TIMEFRAME_MS[req.timeframe ?? app.config.backtest.timeframe], {
          minTrainBars: wf.min_train_bars,
          minTestBars: wf.min_test_bars,
        });
      } catch (e) {
        if (isFfeError(e)) throw paramsError('params.windows', e.message, e.code);
        throw e;
      }
    }
  };

  return {
    /** Validates (nothing is stored when the parameters are wrong), stores the job queued and hands it to the queue. */
    async submit(req: { kind: BacktestJobKind; params: unknown }, by: Principal): Promise<{ id: string; kind: BacktestJobKind; status: 'queued'; created_at: string }> {
      const { kind, params } = validateParams(req?.kind, req?.params);
      checkAgainstConfig(kind, params);
      const id = newUlid();
      const createdAt = Date.now();
      await store().jobs.create({ id, kind, params, createdBy: principalLabel(by), createdAt });
      await registry.enqueue(id);
      return { id, kind, status: 'queued', created_at: new Date(createdAt).toISOString() };
    },

    async get(id: string): Promise<JobView> {
      return jobView(await find(id));
    },

    /** Newest first. */
    async list(q: { limit?: number; status?: JobStatus } = {}): Promise<JobView[]> {
      const limit = q.limit ?? 50;
      if (!(Number.isInteger(limit) && limit >= 1 && limit <= MAX_LIST)) throw inputError('LIMIT_INVALID', `limit must be a whole number in [1, ${MAX_LIST}], got ${limit}`);
      if (q.status !== undefined && !JOB_STATUSES.includes(q.status)) throw paramsError('status', `must be one of ${JOB_STATUSES.join(', ')}`);
      return (await store().jobs.list({ limit, status: q.status })).map(jobView);
    },

    /**
     * A queued job never starts; a running one is aborted through its JobControl signal (here at
     * once; in another process at its next progress step or within a second) and ends cancelled
     * with no result; a finished one is a conflict (JOB_FINISHED).
     */
    async cancel(id: string, by: Principal): Promise<JobView> {
      const j = await find(id);
      if (FINISHED.includes(j.status)) throw inputError('JOB_FINISHED', `backtest job ${id} already ended (${j.status}); there is nothing to cancel`);
      const error = { code: 'CANCELLED', message: `cancelled by ${principalLabel(by)}` };
      if (j.status === 'queued') await registry.dequeue(id);
      else await store().jobs.requestCancel(id);
      // Recorded first: the first end wins, so the work's own end (aborted or, in a race, done) changes nothing.
      const ended = await registry.end(id, 'cancelled', undefined, error);
      if (!ended) {
        const now = await find(id);
        if (FINISHED.includes(now.status) && now.status !== 'cancelled') throw inputError('JOB_FINISHED', `backtest job ${id} ended (${now.status}) before it could be cancelled`);
      }
      await registry.abortLocal(id);
      return jobView(await find(id));
    },

    /**
     * Once at a server's start: jobs a killed process left running are marked failed
     * (JOB_INTERRUPTED), queued ones are queued again. With Redis, a running job BullMQ still
     * holds is left to it (its consumer may be alive; a dead one's job is handed over or failed).
     */
    async recover(): Promise<{ interrupted: string[]; requeued: string[] }> {
      const out = { interrupted: [] as string[], requeued: [] as string[] };
      const i = interrupted();
      for (const id of await store().jobs.idsWithStatus('running')) {
        if (registry.isLocal(id)) continue;
        const state = await registry.remoteState(id);
        if (state !== null && !['unknown', 'completed', 'failed'].includes(state)) continue;
        if (await registry.end(id, 'failed', undefined, { code: i.code, message: i.message })) out.interrupted.push(id);
      }
      for (const id of await store().jobs.idsWithStatus('queued')) {
        if (registry.isLocal(id)) continue;
        await registry.enqueue(id);
        out.requeued.push(id);
      }
      await registry.consume();
      return out;
    },

    /**
     * Joins the BullMQ queue as one more consumer (`ffe worker` beside `ffe serve`) without the
     * start-up recovery a server does. False, and nothing happens, when `jobs.redis_url` is unset:
     * in-process jobs run only in the server that took them.
     */
    async consume(): Promise<boolean> {
      if (!registry.distributed) return false;
      await registry.consume();
      return true;
    },

    /** Resolves with the job once it ended (or as it is after `timeoutMs`): `ffe-ctl backtest run --wait`, tests. */
    async wait(id: string, timeoutMs = 600_000): Promise<JobView> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const j = await find(id);
        if (FINISHED.includes(j.status) || Date.now() >= deadline) return jobView(j);
        await registry.settledLocally(id);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
};
