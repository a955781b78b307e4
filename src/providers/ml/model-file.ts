import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { RandomForestClassifier } from 'ml-random-forest';
import { z } from 'zod';
import { FfeError } from '../../core/errors.js';
import { isTimeframe, type Timeframe } from '../../core/timeframe.js';
import { CLASSES } from './dataset.js';
import { featureNames } from './features.js';
import { forestLibrary, type ForestParams, type TrainingResult } from './train.js';

/** The file format this code writes and reads; a newer or older one is refused with a clear message. */
export const MODEL_FORMAT = 'ffe-ml-model';
export const MODEL_FORMAT_VERSION = 1;

const LIBRARY = 'ml-random-forest';
/** The installed library version, recorded so a model can be traced to the code that fitted it. */
export const libraryVersion = (): string => (createRequire(import.meta.url)(`${LIBRARY}/package.json`) as { version: string }).version;

const metricsSchema = z.object({
  samples: z.number(),
  accuracy: z.number(),
  precision: z.record(z.string(), z.number().nullable()),
  recall: z.record(z.string(), z.number().nullable()),
  predicted: z.record(z.string(), z.number()),
});

const modelSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  formatVersion: z.number().int(),
  id: z.string().min(1),
  createdAt: z.string(),
  pairs: z.array(z.string()).min(1),
  timeframe: z.string().refine(isTimeframe, 'a timeframe (1m … 1d)'),
  horizon: z.number().int().positive(),
  /** Round-trip cost: forward returns within ±cost were labelled HOLD. */
  cost: z.number().min(0),
  /** ISO times: the decisions trained on, and the moment after which no label was read. */
  window: z.object({ from: z.string(), until: z.string() }),
  features: z.array(z.string()).min(1),
  classes: z.array(z.string()),
  library: z.object({ name: z.literal(LIBRARY), version: z.string() }),
  params: z.object({ maxSamples: z.number(), nEstimators: z.number(), maxFeatures: z.number(), maxDepth: z.number(), minNumSamples: z.number(), seed: z.number() }),
  training: z.object({
    samples: z.number(),
    perPair: z.record(z.string(), z.number()),
    classShares: z.array(z.number()),
    validation: metricsSchema,
    majorityValidationAccuracy: z.number(),
    seconds: z.number(),
  }),
  forest: z.record(z.string(), z.unknown()),
});

export type ModelFile = z.infer<typeof modelSchema> & { timeframe: Timeframe };

/** A model file read and its forest rebuilt. */
export interface LoadedModel {
  file: ModelFile;
  path: string;
  forest: RandomForestClassifier;
  /** ms: the model's training end; decisions before it would be judged by a model that saw their future. */
  until: number;
}

/** The default model file: `<data home>/models/ml.json`. */
export const defaultModelPath = (home: string): string => join(home, 'models', 'ml.json');

export interface ModelDescription {
  pairs: string[];
  timeframe: Timeframe;
  horizon: number;
  cost: number;
  from: number;
  until: number;
  params: ForestParams;
  perPair: Record<string, number>;
  seconds: number;
}

/** The file of a trained model; its id names the window and a hash of the forest, so two different fits never share one. */
export function modelFile(d: ModelDescription, r: TrainingResult, now: Date): ModelFile {
  const forest = r.forest.toJSON() as unknown as Record<string, unknown>;
  const hash = createHash('sha256').update(JSON.stringify(forest)).digest('hex').slice(0, 10);
  const until = new Date(d.until).toISOString();
  return {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    id: `ml-${d.timeframe}-h${d.horizon}-${until.slice(0, 10)}-${hash}`,
    createdAt: now.toISOString(),
    pairs: d.pairs,
    timeframe: d.timeframe,
    horizon: d.horizon,
    cost: d.cost,
    window: { from: new Date(d.from).toISOString(), until },
    features: featureNames(d.timeframe),
    classes: [...CLASSES],
    library: { name: LIBRARY, version: libraryVersion() },
    params: d.params,
    training: {
      samples: Object.values(d.perPair).reduce((a, b) => a + b, 0),
      perPair: d.perPair,
      classShares: r.classShares,
      validation: r.validation,
      majorityValidationAccuracy: r.majorityValidationAccuracy,
      seconds: d.seconds,
    },
    forest,
  };
}

/** Writes the file whole or not at all (temporary file, then rename). */
export function saveModel(path: string, m: ModelFile): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(m));
  renameSync(tmp, path);
}

const missing = (path: string) => new FfeError('input', 'ML_MODEL_MISSING', `no ml model at ${path}: train one with \`ffe ml train PAIRS --until DATE\` (or set providers.<name>.model_file)`);

/** Reads and checks a model file; every way it can be unusable is one clear error naming the file. */
export function loadModel(path: string): LoadedModel {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw missing(path);
    throw new FfeError('input', 'ML_MODEL_INVALID', `ml model ${path} cannot be read: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new FfeError('input', 'ML_MODEL_INVALID', `ml model ${path} is not JSON; retrain it with \`ffe ml train\``);
  }
  const head = raw as { format?: unknown; formatVersion?: unknown };
  if (head?.format !== MODEL_FORMAT) throw new FfeError('input', 'ML_MODEL_INVALID', `${path} is not an ffe ml model (format ${JSON.stringify(head?.format)})`);
  if (head.formatVersion !== MODEL_FORMAT_VERSION) {
    throw new FfeError('input', 'ML_MODEL_INVALID', `ml model ${path} has format version ${String(head.formatVersion)}; this version of ffe reads ${MODEL_FORMAT_VERSION}: retrain it with \`ffe ml train\``);
  }
  const parsed = modelSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FfeError('input', 'ML_MODEL_INVALID', `ml model ${path}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const file = parsed.data as ModelFile;
  const expected = featureNames(file.timeframe);
  if (file.features.join(',') !== expected.join(',')) {
    const extra = file.features.filter((f) => !expected.includes(f));
    const lacking = expected.filter((f) => !file.features.includes(f));
    throw new FfeError(
      'input',
      'ML_FEATURES_MISMATCH',
      `ml model ${path} was trained on a different feature list than this version computes (${extra.length ? `not computed: ${extra.join(', ')}` : ''}${extra.length && lacking.length ? '; ' : ''}${lacking.length ? `new: ${lacking.join(', ')}` : 'same names, other order'}); retrain it with \`ffe ml train\``,
    );
  }
  let forest: RandomForestClassifier;
  try {
    forest = forestLibrary().RandomForestClassifier.load(file.forest as never);
  } catch (e) {
    throw new FfeError('input', 'ML_MODEL_INVALID', `ml model ${path}: the forest cannot be loaded (${(e as Error).message}); retrain it with \`ffe ml train\``);
  }
  return { file, path, forest, until: Date.parse(file.window.until) };
}
