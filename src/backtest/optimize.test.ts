import { describe, expect, it } from 'vitest';
import { FfeError } from '../core/errors.js';
import { runBacktest } from './engine.js';
import { InProcessRunner, runJob } from './jobs.js';
import { objective } from './objective.js';
import { optimize } from './optimize.js';
import { gridSearch, parseSpace, randomSearch } from './params.js';
import { ThreadPool } from './pool.js';
import { STRATEGIES } from './strategies/index.js';
import { randomWalk, singlePair } from './synthetic.js';
import { DEFAULT_SETTINGS } from './types.js';

const def = STRATEGIES['sma-cross'];
const data = singlePair(randomWalk(2500, { seed: 13 }));
const inputs = { data, settings: DEFAULT_SETTINGS, strategy: 'sma-cross', risk: null };
const span = { start: data.pairs[0].bars.timestamp[0], end: data.pairs[0].bars.timestamp[2499] + 3_600_000, warmup: 0 };

describe('parameter spaces', () => {
  it('grid keeps only valid combinations (fast < slow) and parses lists and ranges', () => {
    const g = gridSearch(def, parseSpace(def, ['fast=5:20:5', 'slow=10,20']));
    expect(g.every((p) => p.fast < p.slow)).toBe(true);
    expect(g).toHaveLength(4); // (5,10) (5,20) (10,20) (15,20)
  });

  it('random search draws distinct valid points within the ranges, reproducibly', () => {
    const space = parseSpace(def, ['fast=2:50', 'slow=10:200']);
    const a = randomSearch(def, space, 25, 7);
    expect(a).toHaveLength(25);
    expect(new Set(a.map((p) => JSON.stringify(p))).size).toBe(25);
    expect(a.every((p) => Number.isInteger(p.fast) && p.fast >= 2 && p.fast <= 50 && p.fast < p.slow)).toBe(true);
    expect(randomSearch(def, space, 25, 7)).toEqual(a);
  });

  it('bad flags are input errors (exit 2)', () => {
    for (const f of [['nope=1,2'], ['fast=a,b'], ['fast=9:3']]) {
      let err: unknown;
      try {
        parseSpace(def, f);
      } catch (e) {
        err = e;
      }
      expect((err as FfeError).exitCode).toBe(2);
    }
  });
});

describe('optimisation', () => {
  it('grid search returns every combination sorted by the objective, best equal to a direct run', async () => {
    const score = objective('sharpe');
    const trials = await optimize(new InProcessRunner(inputs), { def, space: parseSpace(def, ['fast=5,10,15', 'slow=30,60']), method: 'grid', samples: 0, score, ...span });
    expect(trials).toHaveLength(6);
    for (let k = 1; k < trials.length; k++) expect(trials[k - 1].score).toBeGreaterThanOrEqual(trials[k].score);
    const direct = await runBacktest(data, def.create(trials[0].params, data), DEFAULT_SETTINGS);
    expect(trials[0].metrics.sharpe).toBe(direct.metrics.sharpe);
  });

  it('refine spends its budget and is at least as good as its own random half', async () => {
    const score = objective('return');
    const space = parseSpace(def, ['fast=2:40', 'slow=10:150']);
    const trials = await optimize(new InProcessRunner(inputs), { def, space, method: 'refine', samples: 24, score, seed: 5, ...span });
    expect(trials.length).toBeGreaterThan(12);
    expect(trials.length).toBeLessThanOrEqual(24);
    const randomOnly = await optimize(new InProcessRunner(inputs), { def, space, method: 'random', samples: 12, score, seed: 5, ...span });
    expect(trials[0].score).toBeGreaterThanOrEqual(randomOnly[0].score);
  });
});

describe('worker_threads pool', () => {
  it('gives exactly the in-process results, in job order', async () => {
    const jobs = [
      { kind: 'perturb' as const, params: { fast: 10, slow: 30 }, noise: 0.001, seeds: [1, 2, 3] },
      {
        kind: 'evaluate' as const,
        paramSets: [
          { fast: 5, slow: 20 },
          { fast: 8, slow: 40 },
        ],
        ...span,
      },
      { kind: 'perturb' as const, params: { fast: 10, slow: 30 }, noise: 0.002, seeds: [4] },
    ];
    const pool = new ThreadPool(inputs, 2);
    try {
      const got = await pool.run(jobs);
      const want = await Promise.all(jobs.map((j) => runJob(inputs, j)));
      expect(got).toEqual(want);
    } finally {
      await pool.close();
    }
  });
});
