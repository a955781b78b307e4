import { describe, expect, it } from 'vitest';
import { InProcessRunner } from './jobs.js';
import { shareTypedArrays, ThreadPool } from './pool.js';
import { randomWalk, singlePair } from './synthetic.js';
import { DEFAULT_SETTINGS } from './types.js';

describe('shareTypedArrays', () => {
  it('moves every typed array into shared memory with the same values, views of one buffer staying one buffer', () => {
    const whole = Float64Array.from([1, 2, 3, 4, 5, 6]);
    const input = {
      data: { pairs: [{ pair: 'BTCUSD', bars: { length: 3, close: whole.subarray(0, 3), open: whole.subarray(3) } }] },
      counts: [Int32Array.from([7, 8])],
      name: 'sma-cross',
      risk: null,
    };
    const out = shareTypedArrays(input);
    const bars = out.data.pairs[0].bars;
    expect(bars.close.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(bars.open.buffer).toBe(bars.close.buffer);
    expect(Array.from(bars.close)).toEqual([1, 2, 3]);
    expect(Array.from(bars.open)).toEqual([4, 5, 6]);
    expect(out.counts[0]).toBeInstanceOf(Int32Array);
    expect(Array.from(out.counts[0])).toEqual([7, 8]);
    expect(out.counts[0].buffer).toBeInstanceOf(SharedArrayBuffer);
    expect({ ...out, data: null, counts: null }).toEqual({ ...input, data: null, counts: null });
    // A copy: the caller's arrays are untouched and not aliased.
    expect(whole.buffer).not.toBe(bars.close.buffer);
  });

  it('leaves class instances and already-shared arrays as they are', () => {
    const date = new Date(0);
    const shared = new Float64Array(new SharedArrayBuffer(16));
    const out = shareTypedArrays({ date, shared });
    expect(out.date).toBe(date);
    expect(out.shared).toBe(shared);
  });
});

describe('ThreadPool trace', () => {
  it('times every job on its worker without changing the results', async () => {
    const data = singlePair(randomWalk(3000, { seed: 5 }));
    const inputs = { data, settings: DEFAULT_SETTINGS, strategy: 'sma-cross', risk: null };
    const jobs = [1, 2, 3, 4, 5].map((s) => ({ kind: 'perturb' as const, params: { fast: 10, slow: 30 }, noise: 0.001, seeds: [s] }));
    const traced = new ThreadPool(inputs, 2, undefined, { trace: true });
    const plain = new ThreadPool(inputs, 2);
    try {
      const got = await traced.run(jobs);
      expect(got).toEqual(await plain.run(jobs));
      expect(plain.takeTrace()).toBeUndefined();
      const trace = traced.takeTrace()!;
      expect(trace.jobs).toHaveLength(jobs.length);
      for (const j of trace.jobs) {
        expect([0, 1]).toContain(j.worker);
        expect(j.span!.start).toBeGreaterThanOrEqual(j.posted - 50);
        expect(j.span!.end).toBeGreaterThanOrEqual(j.span!.start);
        expect(j.received).toBeGreaterThanOrEqual(j.span!.end - 50);
        if (process.platform === 'linux') expect(j.span!.cpuEnd!).toBeGreaterThan(j.span!.cpuStart!);
      }
      // Taken once: the next run starts a fresh list.
      expect(traced.takeTrace()!.jobs).toEqual([]);
    } finally {
      await Promise.all([traced.close(), plain.close()]);
    }
  });
});

describe('ThreadPool runs', () => {
  const data = singlePair(randomWalk(2000, { seed: 9 }));
  const inputs = { data, settings: DEFAULT_SETTINGS, strategy: 'sma-cross', risk: null };
  const perturbJob = (seeds: number[]) => ({ kind: 'perturb' as const, params: { fast: 10, slow: 30 }, noise: 0.001, seeds });

  it('gives every run its own results in job order, concurrent runs included, and traces every job', async () => {
    const pool = new ThreadPool(inputs, 2, undefined, { trace: true });
    try {
      const a = Array.from({ length: 12 }, (_, i) => perturbJob([i + 1]));
      const b = Array.from({ length: 5 }, (_, i) => perturbJob([100 + i]));
      const [ra, rb, empty] = await Promise.all([pool.run(a), pool.run(b), pool.run([])]);
      const want = await new InProcessRunner(inputs).run([...a, ...b]);
      expect([...ra, ...rb]).toEqual(want);
      expect(empty).toEqual([]);
      const jobs = pool.takeTrace()!.jobs;
      expect(jobs).toHaveLength(17);
      // Which worker claims which job is the scheduler's call (on a loaded machine one worker can take them all): spread is the bench's to show.
    } finally {
      await pool.close();
    }
  });

  it("a failing job rejects its run with the worker's message, and the next run is answered too", async () => {
    // An unknown strategy fails every job inside the worker (the inputs are not checked here).
    const pool = new ThreadPool({ ...inputs, strategy: 'no-such-strategy' }, 2);
    try {
      const jobs = Array.from({ length: 6 }, (_, i) => perturbJob([i]));
      await expect(pool.run(jobs)).rejects.toMatchObject({ code: 'WORKER_JOB_FAILED', message: expect.stringContaining('no-such-strategy') });
      await expect(pool.run(jobs.slice(0, 1))).rejects.toMatchObject({ code: 'WORKER_JOB_FAILED' });
    } finally {
      await pool.close();
    }
  });
});
