/** A small ml model trained on the bundled BTCUSD sample, for provider, contract and e2e tests. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BundledMarketData } from '../../src/data/bundled/adapter.js';
import { saveModel, type ModelFile } from '../../src/providers/ml/model-file.js';
import { trainPairs, type TrainSpec } from '../../src/providers/ml/pipeline.js';

export const BUNDLED_DIR = resolve(import.meta.dirname, '../../assets/data');

/** Few samples and trees: seconds to fit, enough to decide. */
export const SMALL_SPEC: TrainSpec = {
  pairs: ['BTCUSD'],
  timeframe: '1h',
  horizon: 6,
  cost: 0.0022,
  from: Date.parse('2024-03-01T00:00:00Z'),
  until: Date.parse('2024-04-01T00:00:00Z'),
  historyBars: 300,
  params: { maxSamples: 150, nEstimators: 5, maxFeatures: 0.3, maxDepth: 4, minNumSamples: 10, seed: 7 },
};

export async function smallModel(over: Partial<TrainSpec> = {}): Promise<{ file: ModelFile; path: string }> {
  const file = await trainPairs(new BundledMarketData(BUNDLED_DIR), { ...SMALL_SPEC, ...over }, new Date('2026-01-01T00:00:00Z'));
  const path = join(mkdtempSync(join(tmpdir(), 'ffe-ml-')), 'ml.json');
  saveModel(path, file);
  return { file, path };
}
