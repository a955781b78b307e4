import { createRequire } from 'node:module';
import type { RandomForestClassifier } from 'ml-random-forest';
import { CLASSES, classCounts, type Sample } from './dataset.js';

/** Forest settings, recorded in the model file. Small, shallow trees: the signal is weak. */
export interface ForestParams {
  /**
   * Most samples a forest is fitted on; more are thinned to every k-th in time. ml-cart tries
   * every split between neighbouring samples of different class and scores each over the whole
   * node, so fitting grows with the square of the samples (800 take ~5 times as long as 400).
   * Thinning costs little here: forward returns over a horizon of h bars overlap, so neighbouring
   * samples share most of their label's path.
   */
  maxSamples: number;
  nEstimators: number;
  /** Share of the features each tree sees. */
  maxFeatures: number;
  maxDepth: number;
  minNumSamples: number;
  /** 32-bit seed of the tree and feature bagging: the same samples give the same forest. */
  seed: number;
}

export const DEFAULT_FOREST: ForestParams = { maxSamples: 600, nEstimators: 20, maxFeatures: 0.3, maxDepth: 5, minNumSamples: 20, seed: 42 };

/** Every k-th of the time-ordered samples, k chosen so at most `max` remain (all of them when they fit). */
export function thin<T>(sorted: readonly T[], max: number): T[] {
  const k = Math.max(1, Math.ceil(sorted.length / max));
  return sorted.filter((_, i) => i % k === 0);
}

/**
 * The library, required on first use: the adapter is registered (so imported) by every command,
 * and only training and a configured ml provider need the forest code.
 */
export const forestLibrary = (): typeof import('ml-random-forest') => createRequire(import.meta.url)('ml-random-forest') as typeof import('ml-random-forest');

/** Accuracy and per-class precision/recall of predictions against labels. */
export interface ClassMetrics {
  samples: number;
  accuracy: number;
  /** Per class (SELL, HOLD, BUY): share of the predictions of that class that were right (null: never predicted). */
  precision: Record<(typeof CLASSES)[number], number | null>;
  recall: Record<(typeof CLASSES)[number], number | null>;
  /** How many times each class was predicted. */
  predicted: Record<(typeof CLASSES)[number], number>;
}

export function classMetrics(pred: readonly number[], truth: readonly number[]): ClassMetrics {
  const n = truth.length;
  let right = 0;
  const tp = [0, 0, 0];
  const pc = [0, 0, 0];
  const tc = classCounts(truth);
  for (let i = 0; i < n; i++) {
    pc[pred[i]]++;
    if (pred[i] === truth[i]) {
      right++;
      tp[pred[i]]++;
    }
  }
  const by = (f: (k: number) => number | null) => Object.fromEntries(CLASSES.map((c, k) => [c, f(k)])) as Record<(typeof CLASSES)[number], number | null>;
  return {
    samples: n,
    accuracy: n ? right / n : 0,
    precision: by((k) => (pc[k] ? tp[k] / pc[k] : null)),
    recall: by((k) => (tc[k] ? tp[k] / tc[k] : null)),
    predicted: by((k) => pc[k]) as Record<(typeof CLASSES)[number], number>,
  };
}

/** The forest of these (time-ordered) samples, thinned to `maxSamples`; deterministic for a seed. */
export function fitForest(samples: readonly Sample[], params: ForestParams = DEFAULT_FOREST): RandomForestClassifier {
  const forest = new (forestLibrary().RandomForestClassifier)({
    nEstimators: params.nEstimators,
    maxFeatures: params.maxFeatures,
    replacement: false,
    useSampleBagging: true,
    noOOB: true,
    seed: params.seed,
    treeOptions: { maxDepth: params.maxDepth, minNumSamples: params.minNumSamples },
  });
  const fit = thin(samples, params.maxSamples);
  forest.train(
    fit.map((s) => s.x),
    fit.map((s) => s.y),
  );
  return forest;
}

/** Per-class probability rows ([SELL, HOLD, BUY], the trees' vote shares) for each input row. */
export function classProbabilities(forest: RandomForestClassifier, rows: number[][]): number[][] {
  const per = CLASSES.map((_, k) => forest.predictProbability(rows, k));
  return rows.map((_, i) => per.map((p) => p[i]));
}

/** The most probable class of each probability row; ties go to HOLD, then the lower label. */
export const argmax = (p: readonly number[]): number => (p[1] >= p[0] && p[1] >= p[2] ? 1 : p[2] > p[0] ? 2 : 0);

export interface TrainingResult {
  forest: RandomForestClassifier;
  /** Purged hold-out: fitted on the first 80 % of the time-ordered samples, scored on the rest. */
  validation: ClassMetrics;
  /** Share of each class in all samples (SELL, HOLD, BUY). */
  classShares: [number, number, number];
  /** The hold-out accuracy of always answering the training majority class. */
  majorityValidationAccuracy: number;
}

/**
 * Fits a forest walk-forward: first a hold-out check (fit on the earlier 80 % of the samples,
 * minus the last `purgeMs` before the split so no training label overlaps the scored period;
 * score the later 20 %), then the model itself on every sample.
 */
export function trainModel(samples: readonly Sample[], purgeMs: number, params: ForestParams = DEFAULT_FOREST): TrainingResult {
  const sorted = [...samples].sort((a, b) => a.t - b.t);
  if (!sorted.length) throw new Error('trainModel: no samples');
  const split = Math.floor(sorted.length * 0.8);
  const splitT = sorted[split]?.t ?? Infinity;
  const fitPart = sorted.slice(0, split).filter((s) => s.t + purgeMs <= splitT);
  const test = sorted.slice(split);
  let validation = classMetrics([], []);
  let majorityValidationAccuracy = 0;
  if (fitPart.length && test.length) {
    const f = fitForest(fitPart, params);
    const pred = classProbabilities(
      f,
      test.map((s) => s.x),
    ).map(argmax);
    validation = classMetrics(
      pred,
      test.map((s) => s.y),
    );
    const counts = classCounts(fitPart.map((s) => s.y));
    const majority = counts.indexOf(Math.max(...counts));
    majorityValidationAccuracy = test.filter((s) => s.y === majority).length / test.length;
  }
  const counts = classCounts(sorted.map((s) => s.y));
  const n = sorted.length || 1;
  return { forest: fitForest(sorted, params), validation, classShares: [counts[0] / n, counts[1] / n, counts[2] / n], majorityValidationAccuracy };
}
