import { inputError } from '../../core/errors.js';
import { TIMEFRAME_MS } from '../../core/timeframe.js';
import type { FundamentalRecord } from '../../core/fundamentals.js';
import type { MarketData } from '../../data/port.js';
import { loadSamples, type DatasetSpec, type Sample } from './dataset.js';
import { featureNames } from './features.js';
import { modelFile, type ModelFile } from './model-file.js';
import { DEFAULT_FOREST, trainModel, type ForestParams } from './train.js';

/** A dataset spec (./dataset.ts) over several pairs, with the forest's parameters. */
export interface TrainSpec extends DatasetSpec {
  pairs: string[];
  params?: ForestParams;
}

/**
 * A model fitted on every pair's walk-forward samples pooled (the features are scale-free), the
 * last horizon before `until` purged. Deterministic for the same data, spec and seed.
 */
export async function trainPairs(md: MarketData, spec: TrainSpec, now = new Date(), fundamentalsOf: (pair: string) => Promise<readonly FundamentalRecord[]> = async () => []): Promise<ModelFile> {
  const t0 = performance.now();
  const names = featureNames(spec.timeframe);
  const perPair: Record<string, number> = {};
  const all: Sample[] = [];
  for (const pair of spec.pairs) {
    const s = await loadSamples(md, pair, names, spec, false, await fundamentalsOf(pair));
    perPair[pair] = s.length;
    all.push(...s);
  }
  if (!all.length) {
    throw inputError(
      'ML_NO_SAMPLES',
      `no ${spec.timeframe} samples for ${spec.pairs.join(', ')} with a ${spec.horizon}-bar label known by ${new Date(spec.until).toISOString()}: move --until later or pick a timeframe the data has (see \`ffe data list\`)`,
    );
  }
  // Pairs interleaved in time, so thinning keeps every pair's share.
  all.sort((a, b) => a.t - b.t);
  const params = spec.params ?? DEFAULT_FOREST;
  const result = trainModel(all, spec.horizon * TIMEFRAME_MS[spec.timeframe], params);
  const from = all[0].t;
  return modelFile({ pairs: spec.pairs, timeframe: spec.timeframe, horizon: spec.horizon, cost: spec.cost, from, until: spec.until, params, perPair, seconds: (performance.now() - t0) / 1000 }, result, now);
}
