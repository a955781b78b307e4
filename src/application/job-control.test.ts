import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../core/events.js';
import { FfeApi } from './api.js';
import type { BacktestRequest } from './backtests.js';
import { JobProgress, type JobControl } from './job-control.js';

let api: FfeApi;
beforeAll(async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'ffe-jobs-'));
  mkdirSync(join(cwd, 'config'));
  writeFileSync(join(cwd, 'config/config.yaml'), '');
  api = await FfeApi.open({ cwd, env: { FFE_HOME: join(cwd, 'home'), TZ: 'UTC' } });
});
afterAll(() => api.close());

const req: BacktestRequest = { pairs: ['BTCUSD'], start: Date.parse('2024-01-01'), end: Date.parse('2024-04-01'), strategy: 'sma-cross' };
const search = { method: 'grid' as const, samples: 4, score: (m: { sharpe: number }) => m.sharpe, seed: 1, runner: { workers: 1 }, ranges: ['fast=5,10', 'slow=30,60'] };

/** The three searches, each given a job control. */
const jobs = {
  walk_forward: (c: JobControl) => api.backtests.walkForward(req, search, { windows: 2, anchored: false }, c),
  monte_carlo: (c: JobControl) => api.backtests.monteCarlo(req, { simulations: 8, noise: 0.0005, seed: 1, runner: { workers: 1 } }, c),
  optimize: (c: JobControl) => api.backtests.optimize(req, search, c),
};

describe('long jobs: progress, BacktestProgress events and cancel', () => {
  for (const [kind, run] of Object.entries(jobs)) {
    it(`${kind}: reports progress up to done = total and publishes it as BacktestProgress events`, async () => {
      const seen: DomainEvent[] = [];
      const off = api.events.subscribe((e) => seen.push(e), ['BacktestProgress']);
      const steps: [number, number][] = [];
      await run({ onProgress: (d, t) => steps.push([d, t]) });
      off();
      expect(steps.length).toBeGreaterThan(1);
      const [d, t] = steps[steps.length - 1];
      expect(d).toBe(t);
      const mine = seen.filter((e) => e.payload.job === kind);
      expect(mine.length).toBeGreaterThan(0);
      expect(mine[mine.length - 1].payload).toMatchObject({ job: kind, done: t, total: t });
      expect(new Set(mine.map((e) => e.payload.jobId)).size).toBe(1);
      expect(mine.every((e, i) => i === 0 || (e.seq > mine[i - 1].seq && (e.payload.done as number) >= (mine[i - 1].payload.done as number)))).toBe(true);
    });

    it(`${kind}: an aborted signal is CANCELLED before any work`, async () => {
      const ac = new AbortController();
      ac.abort();
      const steps: number[] = [];
      await expect(run({ signal: ac.signal, onProgress: (d) => steps.push(d) })).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(steps).toEqual([]);
    });

    it(`${kind}: aborting mid-run (from the first progress step) ends it with CANCELLED, and no further step runs`, async () => {
      const ac = new AbortController();
      const steps: [number, number][] = [];
      await expect(
        run({
          signal: ac.signal,
          onProgress: (d, t) => {
            steps.push([d, t]);
            ac.abort();
          },
        }),
      ).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(steps).toHaveLength(1);
      expect(steps[0][0]).toBeLessThan(steps[0][1]);
    });
  }

  it('events are throttled: 10,000 steps in a tight loop publish about one per 1 %, the last one included; the caller sees every step', async () => {
    const seen: DomainEvent[] = [];
    const off = api.events.subscribe((e) => seen.push(e), ['BacktestProgress']);
    let calls = 0;
    const p = new JobProgress(api.runtime, 'backtest', { onProgress: () => calls++ });
    await p.run(async () => {
      for (let i = 1; i <= 10_000; i++) p.report(i, 10_000);
    });
    off();
    expect(calls).toBe(10_001);
    // 100 one-percent steps and the first, and a few 500 ms ones on a slow machine at most; the final step once.
    expect(seen.length).toBeGreaterThanOrEqual(100);
    expect(seen.length).toBeLessThanOrEqual(110);
    expect(seen[seen.length - 1].payload).toMatchObject({ job: 'backtest', done: 10_000, total: 10_000 });
    expect(seen.filter((e) => e.payload.done === 10_000)).toHaveLength(1);
  });

  it('backtest: the same control (cancelled mid-run from its first step)', async () => {
    const ac = new AbortController();
    let steps = 0;
    await expect(api.backtests.backtest(req, { signal: ac.signal, onProgress: () => (steps++, ac.abort()) })).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(steps).toBe(1);
  });
});
