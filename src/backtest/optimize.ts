import { inputError } from '../core/errors.js';
import { chunk, type JobRunner } from './jobs.js';
import { gridSearch, randomSearch, refineAround, type ParamSpace, type SearchDef } from './params.js';
import type { Params } from './port.js';
import { searchStatistics, type DeflatedSharpe, type Pbo } from './overfitting.js';
import type { Metrics } from './types.js';

export type SearchMethod = 'grid' | 'random' | 'refine';

export interface OptimizeRequest {
  def: SearchDef;
  space: ParamSpace;
  method: SearchMethod;
  /** Evaluations for random and refine. */
  samples: number;
  score: (m: Metrics) => number;
  start: number;
  end: number;
  warmup: number;
  seed?: number;
}

/** Slices of CSCV: C(16, 8) = 12,870 splits, each half 8 slices (Bailey et al. 2015 use S = 16). */
export const CSCV_SLICES = 16;

export interface Trial {
  params: Params;
  metrics: Metrics;
  score: number;
  /** Per-bar returns summarised on CSCV_SLICES slices (overfitting.ts), for DSR and PBO. */
  moments?: number[];
}

async function evaluate(runner: JobRunner, req: OptimizeRequest, sets: Params[]): Promise<Trial[]> {
  const parts = chunk(sets, runner.parallelism);
  const results = await runner.run(parts.map((paramSets) => ({ kind: 'evaluate' as const, paramSets, start: req.start, end: req.end, warmup: req.warmup, slices: CSCV_SLICES })));
  const trials: Trial[] = [];
  results.forEach((r, k) => {
    if (r.kind !== 'evaluate') return;
    r.metrics.forEach((m, j) => {
      const s = req.score(m);
      trials.push({ params: parts[k][j], metrics: m, score: Number.isFinite(s) ? s : -Infinity, moments: r.moments?.[j] });
    });
  });
  return trials;
}

/**
 * Grid, random or refine search (half the budget random, then Gaussian steps around the best
 * points with a shrinking scale). Trials come back sorted, best first.
 */
export async function optimize(runner: JobRunner, req: OptimizeRequest): Promise<Trial[]> {
  const seed = req.seed ?? 1;
  let trials: Trial[];
  if (req.method === 'grid') trials = await evaluate(runner, req, gridSearch(req.def, req.space));
  else if (req.method === 'random') trials = await evaluate(runner, req, randomSearch(req.def, req.space, req.samples, seed));
  else {
    const first = Math.max(4, Math.ceil(req.samples / 2));
    trials = await evaluate(runner, req, randomSearch(req.def, req.space, first, seed));
    const seen = new Set(trials.map((t) => JSON.stringify(t.params)));
    let left = req.samples - trials.length;
    for (let round = 0, scale = 0.15; left > 0; round++, scale *= 0.6) {
      trials.sort((a, b) => b.score - a.score);
      const batch = Math.min(left, Math.max(4, Math.ceil(req.samples / 6)));
      const next = refineAround(
        req.def,
        req.space,
        trials.slice(0, 3).map((t) => t.params),
        batch,
        scale,
        seed + 101 * (round + 1),
        seen,
      );
      if (!next.length) break;
      trials.push(...(await evaluate(runner, req, next)));
      left -= next.length;
    }
  }
  if (!trials.length) throw inputError('SEARCH_EMPTY', `no valid parameter combination in the search space for ${req.def.name}`);
  return trials.sort((a, b) => b.score - a.score);
}

/**
 * DSR and PBO of a finished search (trials sorted best first, as `optimize` returns them): the
 * selected trial is the first, the number of trials all of them. Trials without moments (a
 * runner that did not return them) leave both null.
 */
export function searchOverfitting(trials: readonly Trial[]): { dsr: DeflatedSharpe | null; pbo: Pbo | null } {
  if (!trials.length || trials.some((t) => !t.moments)) return { dsr: null, pbo: null };
  return searchStatistics(
    trials.map((t) => t.moments!),
    0,
    CSCV_SLICES,
  );
}

/** Trials as reported: without their slice moments (working data, 80 numbers each). */
export const reportTrial = ({ moments: _, ...t }: Trial): Omit<Trial, 'moments'> => t;
