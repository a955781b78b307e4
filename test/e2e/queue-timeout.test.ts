import { beforeAll, describe, expect, inject, it } from 'vitest';
import { QueueRunner, startQueueWorker } from '../../src/backtest/queue.js';
import type { Job } from '../../src/backtest/jobs.js';
import { redisDatabase } from '../support/redis.js';
import type { JobResultRecord } from '../../src/store/port.js';

const job = (seed: number): Job => ({ kind: 'perturb', params: {}, noise: 0, seeds: [seed] });

describe('distributed runs wait while workers make progress, and fail when none do', () => {
  // The run's shared Redis (test/support/services.ts), in a database of this file's own.
  const redis = { url: '' };
  beforeAll(async () => {
    redis.url = await redisDatabase(inject('services').redis);
  });

  it('with no worker, a run fails after the inactivity limit and says why', async () => {
    const runner = await QueueRunner.connect(redis.url, {}, { timeoutMs: 400 });
    try {
      await expect(runner.run([job(1)])).rejects.toThrow(/no job finished for 400 ms; is an ffe worker running\?/);
    } finally {
      await runner.close();
    }
  });

  it('runs queued together outlast the limit as long as jobs keep finishing', async () => {
    const saved: JobResultRecord[] = [];
    // One consumer, 250 ms a job: eight jobs take 2 s, far past the 1 s limit, never 1 s without progress.
    const worker = startQueueWorker(
      redis.url,
      async (d) => {
        await new Promise((r) => setTimeout(r, 250));
        return { kind: 'perturb', finalEquity: [(d.job as Extract<Job, { kind: 'perturb' }>).seeds[0]], maxDrawdown: [0], trades: [0] };
      },
      { save: async (r) => void saved.push(r), list: async () => saved },
    );
    const runner = await QueueRunner.connect(redis.url, {}, { timeoutMs: 1_000 });
    try {
      const started = Date.now();
      const results = await Promise.all([runner.run([job(10), job(11), job(12), job(13)]), runner.run([job(20), job(21), job(22), job(23)])]);
      expect(Date.now() - started).toBeGreaterThan(1_000);
      expect(results.map((r) => r.map((x) => (x.kind === 'perturb' ? x.finalEquity[0] : -1)))).toEqual([
        [10, 11, 12, 13],
        [20, 21, 22, 23],
      ]);
      expect(saved.filter((r) => r.runId === runner.runId).length).toBe(8);
    } finally {
      await runner.close();
      await worker.close();
    }
  });
});
