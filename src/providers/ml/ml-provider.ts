import type { Action } from '../../core/decision.js';
import { isFfeError } from '../../core/errors.js';
import type { AnalysisContext, DecisionProvider, ProviderResult } from '../port.js';
import { CLASSES } from './dataset.js';
import { featuresOf } from './features.js';
import { loadModel, type LoadedModel } from './model-file.js';
import { argmax, classProbabilities } from './train.js';

const pct = (x: number) => `${Math.round(100 * x)}%`;

/**
 * The `ml` decision provider: a random forest trained walk-forward on our own features
 * (`ffe ml train`), loaded once when the provider is built. A missing or unusable model file is
 * not fatal to the program (every other command, `ffe ml train` first, must still run): each
 * decision then fails with the reason, which names the command that fixes it.
 *
 * Look-ahead: a decision before the model's training end would be judged by a forest that has
 * seen its future. The provider refuses it (a typed failure, so the ensemble leaves it out and
 * a backtest holds) rather than silently picking another model: replay and backtest after the
 * training window, or train one ending before the period (`--until`).
 */
export class MlProvider implements DecisionProvider {
  readonly kind = 'ml';
  readonly model: string | null;
  readonly #loaded: LoadedModel | null;
  readonly #loadError: string | null;

  constructor(
    readonly name: string,
    readonly modelPath: string,
    load: (path: string) => LoadedModel = loadModel,
  ) {
    let loaded: LoadedModel | null = null;
    let err: string | null = null;
    try {
      loaded = load(modelPath);
    } catch (e) {
      if (!isFfeError(e)) throw e;
      err = e.message;
    }
    this.#loaded = loaded;
    this.#loadError = err;
    this.model = loaded?.file.id ?? null;
  }

  /** The model in use (null: none could be loaded; `loadError` says why). */
  get loaded(): LoadedModel | null {
    return this.#loaded;
  }

  get loadError(): string | null {
    return this.#loadError;
  }

  async decide(ctx: AnalysisContext): Promise<ProviderResult> {
    const t0 = performance.now();
    const m = this.#loaded;
    if (!m) return { ok: false, code: 'NOT_INSTALLED', reason: this.#loadError!, latencyMs: performance.now() - t0 };
    if (ctx.asOf < m.until) {
      return {
        ok: false,
        code: 'ERROR',
        reason: `ml model ${m.file.id} was trained on labels up to ${m.file.window.until}; deciding at ${new Date(ctx.asOf).toISOString()} would use a model that saw the future: run after its training window or train one with \`ffe ml train PAIRS --until\` an earlier date`,
        latencyMs: performance.now() - t0,
      };
    }
    const row = featuresOf(ctx, m.file.timeframe, m.file.features);
    const p = classProbabilities(m.forest, [row])[0];
    const k = argmax(p);
    const action: Action = CLASSES[k];
    const confidence = Math.round(100 * p[k]);
    const own = ctx.pulse.timeframes.find((f) => f.timeframe === m.file.timeframe);
    const caveat = own?.status === 'ok' ? '' : ` (its ${m.file.timeframe} indicators are ${own?.status ?? 'missing'} here: the features are mostly defaults)`;
    const reasoning =
      `random forest ${m.file.id}${caveat}: P(SELL) ${pct(p[0])}, P(HOLD) ${pct(p[1])}, P(BUY) ${pct(p[2])} over the next ${m.file.horizon} ${m.file.timeframe} bars ` +
      `(moves within ±${(100 * m.file.cost).toFixed(2)}% count as HOLD); hold-out accuracy ${pct(m.file.training.validation.accuracy)} vs ${pct(m.file.training.majorityValidationAccuracy)} always-majority → ${action} at ${confidence}%.`;
    return { ok: true, signal: { action, confidence, reasoning }, latencyMs: performance.now() - t0, metadata: { model: m.file.id } };
  }
}
