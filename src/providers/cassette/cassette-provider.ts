import { createHash } from 'node:crypto';
import type { CASSETTE_MODES } from '../../config/sections/providers.js';
import { ProviderDecorator, stableJson, type RequestFingerprint } from '../llm/capabilities.js';
import type { AnalysisContext, DecideOptions, DecisionProvider, ProviderResult } from '../port.js';
import type { CassetteRepository } from '../../store/port.js';

export type CassetteMode = (typeof CASSETTE_MODES)[number];

export interface CassetteStats {
  hits: number;
  misses: number;
  recorded: number;
}

/** sha-256 of (provider, model, parameters, prompt): the same question always has the same key. */
export function cassetteKey(provider: string, model: string | null, fp: RequestFingerprint): string {
  return createHash('sha256')
    .update(stableJson({ v: 1, provider, model, parameters: fp.parameters, prompt: fp.prompt }))
    .digest('hex');
}

// Not answers: a cancelled call, a spent budget or a missing recording must not be replayed.
const NOT_RECORDED = new Set(['ABORTED', 'BUDGET_EXHAUSTED', 'REPLAY_MISS']);

/**
 * Record/replay of any provider's answers, for deterministic, cost-free re-runs:
 * - `record`: always asks the provider and stores (or replaces) the answer;
 * - `replay`: a stored answer is returned as recorded (latency included); a miss asks the
 *   provider and stores the answer;
 * - `strict`: a miss is a REPLAY_MISS failure and the provider is never asked.
 * Failures that are answers (invalid output, HTTP errors, timeouts) are recorded too, so a
 * replayed ensemble sees exactly what the recorded one saw.
 */
export class CassetteProvider extends ProviderDecorator {
  readonly stats: CassetteStats = { hits: 0, misses: 0, recorded: 0 };

  constructor(
    inner: DecisionProvider,
    private readonly store: CassetteRepository,
    readonly mode: CassetteMode,
    private readonly wallClock: () => number = Date.now,
  ) {
    super(inner);
  }

  async decide(ctx: AnalysisContext, opts: DecideOptions = {}): Promise<ProviderResult> {
    if (this.mode === 'off') return this.inner.decide(ctx, opts);
    const fp = this.fingerprint(ctx);
    const key = cassetteKey(this.name, this.model, fp);
    if (this.mode !== 'record') {
      const hit = await this.store.get(key);
      if (hit) {
        this.stats.hits++;
        return hit.result;
      }
      this.stats.misses++;
      if (this.mode === 'strict') {
        return { ok: false, code: 'REPLAY_MISS', reason: `no recorded answer of ${this.name} for this request (cassette key ${key.slice(0, 16)}); record one with cassette.mode record`, latencyMs: 0 };
      }
    }
    const result = await this.inner.decide(ctx, opts);
    if (result.ok || !NOT_RECORDED.has(result.code)) {
      await this.store.put({ key, provider: this.name, model: this.model, parameters: fp.parameters, prompt: fp.prompt, result, recordedAt: new Date(this.wallClock()).toISOString() });
      this.stats.recorded++;
    }
    return result;
  }
}
