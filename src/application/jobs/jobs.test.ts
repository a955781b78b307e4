import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../core/events.js';
import { FfeApi } from '../api.js';
import type { Principal } from '../auth/principal.js';
import type { BacktestRequest } from '../backtests.js';
import { backtestResultJson } from './work.js';

const alice: Principal = { kind: 'user', id: 'u1', name: 'alice', role: 'analyst' };
const bob: Principal = { kind: 'api_key', id: 'k1', name: 'ci-bot', role: 'admin' };

/** A data home of its own; `yaml` is its config. */
function home(yaml = ''): { cwd: string; env: Record<string, string> } {
  const cwd = mkdtempSync(join(tmpdir(), 'ffe-jobs-'));
  mkdirSync(join(cwd, 'config'));
  writeFileSync(join(cwd, 'config/config.yaml'), yaml);
  return { cwd, env: { FFE_HOME: join(cwd, 'home'), TZ: 'UTC' } };
}

const RANGE = { asset_pair: 'BTCUSD', from: '2024-01-01', to: '2024-04-01' };
/** A walk-forward long enough to cancel: 800 combinations per window, in four steps each. */
const LONG_WF = { ...RANGE, strategy: 'sma-cross', param_ranges: ['fast=2:21:1', 'slow=30:69:1'], windows: 2, workers: 1 };

/** Resolves with the first BacktestProgress event of job `id` (subscribed before the job can start). */
function firstProgress(api: FfeApi): { of: (id: string) => Promise<DomainEvent>; off: () => void } {
  const seen: DomainEvent[] = [];
  const waiters: { id: string; resolve: (e: DomainEvent) => void }[] = [];
  const off = api.events.subscribe(
    (e) => {
      seen.push(e);
      for (const w of waiters.filter((x) => x.id === e.payload.jobId)) w.resolve(e);
    },
    ['BacktestProgress'],
  );
  return {
    of: (id) =>
      new Promise((resolve) => {
        const hit = seen.find((e) => e.payload.jobId === id);
        if (hit) resolve(hit);
        else waiters.push({ id, resolve });
      }),
    off,
  };
}

let api: FfeApi;
let h: ReturnType<typeof home>;
beforeAll(async () => {
  h = home();
  api = await FfeApi.open(h);
});
afterAll(() => api.close());

describe('backtest jobs (in process)', () => {
  it('a submitted backtest completes with exactly the result of the backtest use case on the same data; its progress events carry the job id and rise', async () => {
    const events: DomainEvent[] = [];
    const off = api.events.subscribe((e) => events.push(e), ['BacktestProgress']);
    const sub = await api.jobs.submit({ kind: 'backtest', params: { ...RANGE, strategy: 'sma-cross', params: { fast: 10, slow: 30 }, initial_balance: 5000, fee_percentage: 0.002 } }, alice);
    expect(sub).toMatchObject({ kind: 'backtest', status: 'queued' });
    expect(Date.parse(sub.created_at)).not.toBeNaN();
    const done = await api.jobs.wait(sub.id);
    off();
    expect(done).toMatchObject({ id: sub.id, status: 'succeeded', progress: 1, created_by: 'user:alice' });
    expect(done.error).toBeUndefined();
    expect(Date.parse(done.started_at!)).toBeGreaterThanOrEqual(Date.parse(done.created_at));
    expect(Date.parse(done.finished_at!)).toBeGreaterThanOrEqual(Date.parse(done.started_at!));

    const req: BacktestRequest = {
      pairs: ['BTCUSD'],
      start: Date.parse('2024-01-01'),
      end: Date.parse('2024-04-01'),
      strategy: 'sma-cross',
      params: { fast: 10, slow: 30 },
      settings: { initialBalance: 5000, feeRate: 0.002 },
    };
    const direct = JSON.parse(JSON.stringify(backtestResultJson(await api.backtests.backtest(req)))) as ReturnType<typeof backtestResultJson>;
    const got = done.result as typeof direct;
    expect(direct.trades.length).toBeGreaterThan(0);
    expect(got.trades).toEqual(direct.trades);
    expect(got.metrics).toEqual(direct.metrics);
    expect(got.equity).toEqual(direct.equity);
    expect(got.settings).toMatchObject({ initialBalance: 5000, feeRate: 0.002 });

    const mine = events.filter((e) => e.payload.jobId === sub.id);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((e) => e.payload.job === 'backtest')).toBe(true);
    for (let i = 1; i < mine.length; i++) {
      expect(mine[i].seq).toBeGreaterThan(mine[i - 1].seq);
      expect(mine[i].payload.done as number).toBeGreaterThanOrEqual(mine[i - 1].payload.done as number);
    }
    expect(mine[mine.length - 1].payload.done).toBe(mine[mine.length - 1].payload.total);
    expect((await api.jobs.get(sub.id)).result).toEqual(got);
  });

  it('consume() is a no-op without jobs.redis_url: in-process jobs run only where they were submitted', async () => {
    // A second runtime on the same data home, as `ffe worker` beside `ffe serve` would be.
    const other = await FfeApi.open(h);
    const progress = (a: FfeApi, seen: string[]) => a.events.subscribe((e) => seen.push(e.payload.jobId as string), ['BacktestProgress']);
    const here: string[] = [];
    const there: string[] = [];
    const offHere = progress(api, here);
    const offThere = progress(other, there);
    try {
      // Resolves (no queue to connect to: with none configured a connection attempt would reject) and joins nothing.
      expect(await other.jobs.consume()).toBe(false);
      expect(await api.jobs.consume()).toBe(false);
      const sub = await api.jobs.submit({ kind: 'backtest', params: { ...RANGE, strategy: 'sma-cross', params: { fast: 5, slow: 20 } } }, alice);
      const done = await api.jobs.wait(sub.id, 120_000);
      expect(done.status).toBe('succeeded');
      // It ran here, where it was submitted: its progress was committed by this runtime, none by the other.
      expect(here).toContain(sub.id);
      expect(there).not.toContain(sub.id);
      expect((await other.jobs.get(sub.id)).status).toBe('succeeded');
    } finally {
      offHere();
      offThere();
      await other.close();
    }
  });

  it('bad parameters are one input error naming the field, and nothing is stored', async () => {
    const before = (await api.jobs.list({ limit: 1000 })).length;
    const cases: [unknown, unknown, string, string][] = [
      ['backtest', { ...RANGE, from: undefined }, 'JOB_PARAMS_INVALID', 'params.from'],
      ['backtest', { ...RANGE, initial_balance: -5 }, 'JOB_PARAMS_INVALID', 'params.initial_balance'],
      ['backtest', { ...RANGE, initial_balance: '100' }, 'JOB_PARAMS_INVALID', 'params.initial_balance'],
      ['backtest', { ...RANGE, bogus: 1 }, 'JOB_PARAMS_INVALID', 'params.bogus'],
      ['backtest', { ...RANGE, from: 'yesterday' }, 'JOB_PARAMS_INVALID', 'params.from'],
      ['backtest', { ...RANGE, to: '2023-01-01' }, 'JOB_PARAMS_INVALID', 'params.to'],
      ['backtest', { ...RANGE, strategy: 'nope' }, 'STRATEGY_UNKNOWN', 'params.strategy'],
      ['backtest', { ...RANGE, strategy: 'sma-cross', params: { fast: 10_000 } }, 'PARAM_INVALID', 'params.params'],
      ['backtest', { ...RANGE, params: { fast: 10 } }, 'JOB_PARAMS_INVALID', 'params.params'],
      ['backtest', { ...RANGE, provider: 'nobody' }, 'PROVIDER_UNKNOWN', 'params.provider'],
      ['backtest', { ...RANGE, cassette: 'record' }, 'JOB_PARAMS_INVALID', 'params.cassette'],
      ['optimize', { ...RANGE, strategy: 'sma-cross', param_ranges: ['fast=a,b'] }, 'PARAM_INVALID', 'params.param_ranges'],
      ['optimize', { ...RANGE, strategy: 'sma-cross', objective: 'luck' }, 'JOB_PARAMS_INVALID', 'params.objective'],
      ['walk_forward', { ...RANGE, to: '2024-01-05', strategy: 'sma-cross' }, 'WALK_FORWARD_SPAN_TOO_SHORT', 'params.windows'],
      ['monte_carlo', { ...RANGE, simulations: 0 }, 'JOB_PARAMS_INVALID', 'params.simulations'],
      ['lottery', RANGE, 'JOB_PARAMS_INVALID', 'kind'],
      ['backtest', null, 'JOB_PARAMS_INVALID', 'params.asset_pair'],
    ];
    for (const [kind, params, code, field] of cases) {
      const err = await api.jobs.submit({ kind: kind as 'backtest', params }, alice).catch((e: unknown) => e);
      expect(err, `${String(kind)} ${JSON.stringify(params)}`).toMatchObject({ kind: 'input', code });
      const e = err as Error & { details: { fields: Record<string, string> } };
      expect(e.message.split('\n')).toHaveLength(1);
      expect(e.message.startsWith(`${field}: `), e.message).toBe(true);
      expect(Object.keys(e.details.fields)).toContain(field);
    }
    expect((await api.jobs.list({ limit: 1000 })).length).toBe(before);
  });

  it('cancelling a running walk-forward aborts it through its signal: cancelled, no result, who asked; cancelling it again is a conflict', async () => {
    const p = firstProgress(api);
    const sub = await api.jobs.submit({ kind: 'walk_forward', params: LONG_WF }, alice);
    await p.of(sub.id);
    p.off();
    expect((await api.jobs.get(sub.id)).status).toBe('running');
    const c = await api.jobs.cancel(sub.id, bob);
    expect(c).toMatchObject({ id: sub.id, status: 'cancelled', error: { code: 'CANCELLED', message: 'cancelled by api_key:ci-bot' } });
    expect(c.result).toBeUndefined();
    expect(c.progress).toBeLessThan(1);
    expect(c.started_at).toBeDefined();
    await expect(api.jobs.cancel(sub.id, bob)).rejects.toMatchObject({ code: 'JOB_FINISHED' });
    // The runner is free again: the next job runs to the end.
    const next = await api.jobs.submit({ kind: 'backtest', params: { ...RANGE, strategy: 'sma-cross' } }, alice);
    expect((await api.jobs.wait(next.id)).status).toBe('succeeded');
    await expect(api.jobs.cancel(next.id, bob)).rejects.toMatchObject({ code: 'JOB_FINISHED' });
  });

  it('a queued job (concurrency 1, another running) never starts once cancelled; the running one is unaffected', async () => {
    const p = firstProgress(api);
    const first = await api.jobs.submit({ kind: 'walk_forward', params: LONG_WF }, alice);
    const second = await api.jobs.submit({ kind: 'backtest', params: { ...RANGE, strategy: 'sma-cross' } }, alice);
    await p.of(first.id);
    p.off();
    expect((await api.jobs.get(second.id)).status).toBe('queued');
    const c = await api.jobs.cancel(second.id, alice);
    expect(c).toMatchObject({ status: 'cancelled', progress: 0 });
    expect(c.started_at).toBeUndefined();
    expect((await api.jobs.get(first.id)).status).toBe('running');
    await api.jobs.cancel(first.id, alice);
    expect((await api.jobs.get(second.id)).started_at).toBeUndefined();
  });

  it('get of an unknown id is JOB_NOT_FOUND (404); list filters by status, newest first, and checks its limit', async () => {
    await expect(api.jobs.get('01NOPE')).rejects.toMatchObject({ code: 'JOB_NOT_FOUND', httpStatus: 404 });
    await expect(api.jobs.cancel('01NOPE', alice)).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
    const all = await api.jobs.list({ limit: 1000 });
    expect(all.length).toBeGreaterThanOrEqual(5);
    for (let i = 1; i < all.length; i++) expect(all[i - 1].created_at >= all[i].created_at).toBe(true);
    const cancelled = await api.jobs.list({ status: 'cancelled' });
    expect(cancelled.length).toBeGreaterThanOrEqual(3);
    expect(cancelled.every((j) => j.status === 'cancelled' && j.result === undefined)).toBe(true);
    expect(await api.jobs.list({ limit: 2 })).toHaveLength(2);
    await expect(api.jobs.list({ limit: 0 })).rejects.toMatchObject({ code: 'LIMIT_INVALID' });
    await expect(api.jobs.list({ status: 'lost' as 'queued' })).rejects.toMatchObject({ code: 'JOB_PARAMS_INVALID' });
  });
});

describe('backtest jobs across a restart', () => {
  it('closing the runtime mid-job records it interrupted; a job a killed process left running is marked interrupted by recover(), a queued one runs', async () => {
    const own = home();
    let a = await FfeApi.open(own);
    const p = firstProgress(a);
    const sub = await a.jobs.submit({ kind: 'walk_forward', params: LONG_WF }, alice);
    await p.of(sub.id);
    p.off();
    await a.close();
    a = await FfeApi.open(own);
    expect(await a.jobs.get(sub.id)).toMatchObject({ status: 'failed', error: { code: 'JOB_INTERRUPTED' } });

    // A kill leaves the store as it was mid-run: one job running, one queued, nobody to finish them.
    const store = a.runtime.app.store;
    await store.jobs.create({ id: 'killed-running', kind: 'backtest', params: { ...RANGE, strategy: 'sma-cross' }, createdBy: 'user:alice', createdAt: Date.now() });
    await store.jobs.start('killed-running', Date.now());
    await store.jobs.progress('killed-running', 0.4);
    await store.jobs.create({ id: 'killed-queued', kind: 'backtest', params: { ...RANGE, strategy: 'sma-cross' }, createdBy: 'user:alice', createdAt: Date.now() + 1 });
    await a.close();

    const b = await FfeApi.open(own);
    try {
      const r = await b.jobs.recover();
      expect(r).toEqual({ interrupted: ['killed-running'], requeued: ['killed-queued'] });
      expect(await b.jobs.get('killed-running')).toMatchObject({ status: 'failed', progress: 0.4, error: { code: 'JOB_INTERRUPTED' } });
      expect((await b.jobs.get('killed-running')).result).toBeUndefined();
      expect(await b.jobs.wait('killed-queued')).toMatchObject({ status: 'succeeded', progress: 1 });
      expect(await b.jobs.recover()).toEqual({ interrupted: [], requeued: [] });
    } finally {
      await b.close();
    }
  });
});
