import { inputError } from '../core/errors.js';
import { classifyPair } from '../core/pair.js';
import type { Timeframe } from '../core/timeframe.js';
import { roundTripCost } from '../memory/recommendation-samples.js';
import { CLASSES, classCounts, loadSamples, type Sample } from '../providers/ml/dataset.js';
import { modelPathOf } from '../providers/ml/index.js';
import { loadModel, saveModel, type ModelFile } from '../providers/ml/model-file.js';
import { trainPairs } from '../providers/ml/pipeline.js';
import { argmax, classMetrics, classProbabilities, type ClassMetrics } from '../providers/ml/train.js';
import { ruleVerdict } from '../providers/rules/rules-provider.js';
import type { Runtime } from './runtime.js';

export interface MlTrainRequest {
  pairs: string[];
  /** ms: no label after it is read. */
  until: number;
  /** ms: first decision time (default: the start of the data). */
  from?: number;
  timeframe?: Timeframe;
  horizon?: number;
  /** Model file to write (default: the configured ml provider's, else <data home>/models/ml.json). */
  out?: string;
}

export interface MlEvaluateRequest {
  pairs: string[];
  from: number;
  to: number;
  file?: string;
}

/** How a source of calls did on the evaluation bars. */
export interface CallScore extends ClassMetrics {
  /** Of its BUY/SELL calls, the share whose forward return had that sign (null: it made none). */
  directionalHitRate: number | null;
  directionalCalls: number;
}

export interface MlPairEvaluation {
  pair: string;
  samples: number;
  /** Label shares on these bars (SELL, HOLD, BUY). */
  classShares: [number, number, number];
  ml: CallScore;
  rules: CallScore;
  /** Accuracy of always answering the model's training majority class. */
  majorityAccuracy: number;
}

/** The model file without its forest: what `ffe ml info` shows. */
export type ModelSummary = Omit<ModelFile, 'forest'> & { path: string };

const summary = (f: ModelFile, path: string): ModelSummary => {
  const { forest: _forest, ...rest } = f;
  return { ...rest, path };
};

function score(pred: number[], samples: readonly Sample[]): CallScore {
  const m = classMetrics(
    pred,
    samples.map((s) => s.y),
  );
  let calls = 0;
  let hits = 0;
  pred.forEach((p, i) => {
    if (p === 1) return;
    calls++;
    if (Math.sign(samples[i].ret) === (p === 2 ? 1 : -1)) hits++;
  });
  return { ...m, directionalHitRate: calls ? hits / calls : null, directionalCalls: calls };
}

/** Training, out-of-sample evaluation against the rules provider, and description of `ml` models. */
export const mlUseCases = (rt: Runtime) => {
  const { app } = rt;
  /** The model file a command reads or writes when none is given: the configured ml provider's, else the data home's. */
  const defaultPath = (): string => {
    const entry = Object.values(app.config.providers).find((p) => p.kind === 'ml' && p.enabled);
    return modelPathOf((entry as { model_file?: string | null } | undefined)?.model_file ?? null);
  };
  const pairsOf = (pairs: string[]) => {
    if (!pairs.length) throw inputError('FLAG_INVALID', 'PAIRS: give at least one pair, e.g. BTCUSD,ETHUSD');
    return pairs.map((p) => classifyPair(p).symbol);
  };
  const cost = () => roundTripCost(app.config.costs);
  // A stock's stored reports published by `until` (none for crypto and forex); each sample sees those published by its own time.
  const fundamentalsBy = (until: number) => (pair: string) => app.store.fundamentals.visible(pair, until);
  return {
    defaultPath,

    /** Fits a model on the pairs' samples whose labels are known by `until`, and writes its file. */
    async train(req: MlTrainRequest): Promise<ModelSummary> {
      const horizon = req.horizon ?? 12;
      if (!Number.isInteger(horizon) || horizon < 1 || horizon > 500) throw inputError('FLAG_INVALID', `--horizon ${horizon}: a whole number of bars from 1 to 500`);
      const file = await trainPairs(
        app.marketData,
        {
          pairs: pairsOf(req.pairs),
          timeframe: req.timeframe ?? '1h',
          horizon,
          cost: cost(),
          from: req.from ?? 0,
          until: req.until,
          historyBars: app.config.data.history_bars,
        },
        new Date(),
        fundamentalsBy(req.until),
      );
      const path = req.out ?? defaultPath();
      saveModel(path, file);
      return summary(file, path);
    },

    /**
     * Out-of-sample scores on [from, to] (labels known by `to`): the model's calls, the rules
     * provider's calls on the same bars and pulses, and the always-majority baseline. A window
     * starting before the model's training end is refused: the model has seen it.
     */
    async evaluate(req: MlEvaluateRequest): Promise<{ model: ModelSummary; pairs: MlPairEvaluation[] }> {
      const path = req.file ?? defaultPath();
      const m = loadModel(path);
      if (req.from < m.until) {
        throw inputError('ML_LOOKAHEAD', `--from ${new Date(req.from).toISOString()} is before the model's training end ${m.file.window.until}: evaluate on later bars only (the model has seen these)`);
      }
      if (!(req.to > req.from)) throw inputError('RANGE_INVALID', '--to must be after --from');
      const majority = m.file.training.classShares.indexOf(Math.max(...m.file.training.classShares));
      const out: MlPairEvaluation[] = [];
      for (const pair of pairsOf(req.pairs)) {
        const samples = await loadSamples(
          app.marketData,
          pair,
          m.file.features,
          { timeframe: m.file.timeframe, horizon: m.file.horizon, cost: m.file.cost, from: req.from, until: req.to, historyBars: app.config.data.history_bars },
          true,
          await fundamentalsBy(req.to)(pair),
        );
        if (!samples.length)
          throw inputError('ML_NO_SAMPLES', `no ${m.file.timeframe} samples of ${pair} between ${new Date(req.from).toISOString()} and ${new Date(req.to).toISOString()} with a ${m.file.horizon}-bar label known by --to`);
        const ml = classProbabilities(
          m.forest,
          samples.map((s) => s.x),
        ).map(argmax);
        const rules = samples.map((s) => CLASSES.indexOf(ruleVerdict(s.ctx!, false).action as (typeof CLASSES)[number]));
        const counts = classCounts(samples.map((s) => s.y));
        const n = samples.length;
        out.push({
          pair,
          samples: n,
          classShares: [counts[0] / n, counts[1] / n, counts[2] / n],
          ml: score(ml, samples),
          rules: score(rules, samples),
          majorityAccuracy: counts[majority] / n,
        });
      }
      return { model: summary(m.file, path), pairs: out };
    },

    /** The model file's description (everything but the forest). */
    info(file?: string): ModelSummary {
      const path = file ?? defaultPath();
      return summary(loadModel(path).file, path);
    },
  };
};
