import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { redisDatabase } from '../../../test/support/redis.js';
import { connection } from '../../backtest/queue.js';
import type { DomainEvent } from '../../core/events.js';
import { FfeApi } from '../api.js';
import type { Principal } from '../auth/principal.js';
import { JOBS_QUEUE } from './bullmq-queue.js';
import { backtestResultJson } from './work.js';

const alice: Principal = { kind: 'user', id: 'u1', name: 'alice', role: 'analyst' };
const RANGE = { asset_pair: 'BTCUSD', from: '2024-01-01', to: '2024-04-01' };
const LONG_WF = { ...RANGE, strategy: 'sma-cross', param_ranges: ['fast=2:21:1', 'slow=30:69:1'], windows: 2, workers: 1 };

let url: string;
let cwd: string;
let api: FfeApi;
let queue: Queue;
const env = () => ({ FFE_HOME: join(cwd, 'home'), TZ: 'UTC' });

beforeAll(async () => {
  // The run's shared Redis (test/support/services.ts), in a database of this file's own.
  url = await redisDatabase(inject('services').redis);
  cwd = mkdtempSync(join(tmpdir(), 'ffe-jobs-bull-'));
  mkdirSync(join(cwd, 'config'));
  writeFileSync(join(cwd, 'config/config.yaml'), `jobs:\n  redis_url: ${JSON.stringify(url)}\n`);
  api = await FfeApi.open({ cwd, env: env() });
  queue = new Queue(JOBS_QUEUE, { connection: connection(url) });
});
afterAll(async () => {
  await api.close();
  await queue.close();
});

describe('backtest jobs through BullMQ (jobs.redis_url, a real Redis)', () => {
  // First in the file: `api` has not joined the queue yet, so only the worker can run this job.
  it('a second runtime on the same home joins with consume() (ffe worker) and runs a job it did not submit', async () => {
    const worker = await FfeApi.open({ cwd, env: env() });
    try {
      expect(await worker.jobs.consume()).toBe(true);
      await api.runtime.app.store.jobs.create({ id: 'for-the-worker', kind: 'backtest', params: { ...RANGE, strategy: 'sma-cross' }, createdBy: 'user:alice', createdAt: Date.now() });
      await queue.add('job', { id: 'for-the-worker' }, { jobId: 'for-the-worker', attempts: 1 });
      expect(await worker.jobs.wait('for-the-worker', 120_000)).toMatchObject({ status: 'succeeded' });
      expect(await api.jobs.get('for-the-worker')).toMatchObject({ status: 'succeeded' });
    } finally {
      await worker.close();
    }
  });

  it('a submitted backtest goes through the Redis queue and ends with the same result as the use case called directly', async () => {
    const sub = await api.jobs.submit({ kind: 'backtest', params: { ...RANGE, strategy: 'rsi-reversion', stop_loss: 0.03 } }, alice);
    const done = await api.jobs.wait(sub.id, 120_000);
    expect(done).toMatchObject({ status: 'succeeded', progress: 1, created_by: 'user:alice' });
    // The store records the end before the consumer acknowledges the entry to Redis.
    await expect.poll(() => queue.getJobState(sub.id), { timeout: 60_000 }).toBe('completed');
    const direct = JSON.parse(
      JSON.stringify(backtestResultJson(await api.backtests.backtest({ pairs: ['BTCUSD'], start: Date.parse('2024-01-01'), end: Date.parse('2024-04-01'), strategy: 'rsi-reversion', settings: { stopLoss: 0.03 } }))),
    ) as ReturnType<typeof backtestResultJson>;
    const got = done.result as typeof direct;
    expect(direct.trades.length).toBeGreaterThan(0);
    expect(got.trades).toEqual(direct.trades);
    expect(got.metrics).toEqual(direct.metrics);
  });

  it('a running job is cancelled through the store and its signal: cancelled, no result', async () => {
    const seen: DomainEvent[] = [];
    let started!: () => void;
    const first = new Promise<void>((r) => (started = r));
    const off = api.events.subscribe(
      (e) => {
        seen.push(e);
        started();
      },
      ['BacktestProgress'],
    );
    const sub = await api.jobs.submit({ kind: 'walk_forward', params: LONG_WF }, alice);
    await first;
    off();
    expect(seen[0].payload.jobId).toBe(sub.id);
    const c = await api.jobs.cancel(sub.id, alice);
    expect(c).toMatchObject({ status: 'cancelled', error: { code: 'CANCELLED', message: 'cancelled by user:alice' } });
    expect(c.result).toBeUndefined();
    // The consumer finished with the queue entry (the work stopped; the store keeps the cancel).
    await expect.poll(() => queue.getJobState(sub.id), { timeout: 60_000 }).toBe('completed');
    expect((await api.jobs.get(sub.id)).status).toBe('cancelled');
  });

  it('recover(): a queued job Redis never saw is queued and runs; a running one Redis does not hold is interrupted', async () => {
    const store = api.runtime.app.store;
    await store.jobs.create({ id: 'lost-running', kind: 'backtest', params: { ...RANGE, strategy: 'sma-cross' }, createdBy: 'user:alice', createdAt: Date.now() });
    await store.jobs.start('lost-running', Date.now());
    await store.jobs.create({ id: 'lost-queued', kind: 'backtest', params: { ...RANGE, strategy: 'sma-cross' }, createdBy: 'user:alice', createdAt: Date.now() + 1 });
    const r = await api.jobs.recover();
    expect(r.interrupted).toEqual(['lost-running']);
    expect(r.requeued).toEqual(['lost-queued']);
    expect(await api.jobs.get('lost-running')).toMatchObject({ status: 'failed', error: { code: 'JOB_INTERRUPTED' } });
    expect(await api.jobs.wait('lost-queued', 120_000)).toMatchObject({ status: 'succeeded' });
    await expect.poll(() => queue.getJobState('lost-queued'), { timeout: 60_000 }).toBe('completed');
  });
});
