import { monotonicFactory } from 'ulid';
import type { Clock } from '../core/clock.js';
import type { Decision } from '../core/decision.js';
import { calibrate, providerCalibrations, type ProviderCalibration } from './calibrated-confidence.js';
import { buildOutcome, type ClosedTrade } from './outcome.js';
import { NO_RECOMMENDATIONS, type RecommendationEvidence } from './recommendation-samples.js';
import { memorySummary } from './summary.js';
import type { TradeOutcome, WeightChange } from './types.js';
import { adaptiveWeights, explain, maxShift, type WeightParams } from './weights.js';
import type { MemoryRepository } from '../store/port.js';

export interface MemorySettings extends WeightParams {
  changeEpsilon: number;
  perRegime: boolean;
  frozen: boolean;
  summaryWindow: number;
  /** Vote with calibrated instead of stated confidence (providers with `calibrationMinSamples` judged calls). */
  calibratedConfidence: boolean;
  calibrationMinSamples: number;
}

export const ALL_REGIMES = 'all';

// Monotonic: outcomes closed in the same (replayed) millisecond keep their recording order.
const ulid = monotonicFactory();

/**
 * Portfolio memory: turns closed trades into outcomes, re-weights the ensemble from them with
 * an audit trail, and summarises what worked for the next analysis.
 */
export class PortfolioMemory {
  constructor(
    private readonly repo: MemoryRepository,
    private readonly clock: Clock,
    /** The configured ensemble weights (what adaptive weights shrink toward). */
    private readonly baseWeights: () => Record<string, number>,
    readonly settings: MemorySettings,
    /** Measured recommendations: a second, separately labelled sample (all regimes only: a recommendation is judged on its pair, not its regime). */
    private readonly recommendations: () => Promise<RecommendationEvidence> = async () => NO_RECOMMENDATIONS,
  ) {}

  /** Confidence maps learned from the outcomes, kept until the next recorded outcome (read on every ensemble decision). */
  private calibrations: Promise<ProviderCalibration[]> | null = null;

  /** Records a closed trade once; returns null when it was already learned from. */
  async record(trade: ClosedTrade, decision: Decision | null): Promise<TradeOutcome | null> {
    const outcome = buildOutcome(ulid(this.clock.now()), trade, decision);
    const added = await this.repo.addOutcome(outcome);
    if (added) this.calibrations = null;
    return added ? outcome : null;
  }

  /** Every provider's stated → calibrated confidence map, with its Brier scores and whether it has the samples to be used. */
  async calibration(): Promise<ProviderCalibration[]> {
    this.calibrations ??= this.repo.outcomes().then((os) => providerCalibrations(os, this.settings.calibrationMinSamples));
    try {
      return await this.calibrations;
    } catch (e) {
      this.calibrations = null;
      throw e;
    }
  }

  /**
   * The confidence each provider votes with when `calibratedConfidence` is on (and weights are not
   * frozen): a function of the stated confidence for providers with enough judged calls; the
   * others are absent and vote with their stated confidence.
   */
  async confidenceMaps(): Promise<Record<string, (stated: number) => number>> {
    if (!this.settings.calibratedConfidence || this.settings.frozen) return {};
    return Object.fromEntries((await this.calibration()).filter((c) => c.usable).map((c) => [c.provider, (stated: number) => calibrate(c.map, stated)]));
  }

  /** Recomputes the weights from every outcome and stores each change with its reason. */
  async learn(): Promise<WeightChange[]> {
    if (this.settings.frozen) return [];
    const base = this.baseWeights();
    if (Object.keys(base).length === 0) return [];
    const outcomes = await this.repo.outcomes();
    const scopes: [string, TradeOutcome[]][] = [[ALL_REGIMES, outcomes]];
    if (this.settings.perRegime) {
      for (const regime of new Set(outcomes.map((o) => o.regime))) scopes.push([regime, outcomes.filter((o) => o.regime === regime)]);
    }
    const recs = await this.recommendations();
    const changes: WeightChange[] = [];
    for (const [scope, list] of scopes) {
      const previous = (await this.repo.latestWeights(scope))?.weights ?? base;
      const { weights, scores } = adaptiveWeights(base, list, this.settings, scope === ALL_REGIMES ? recs : NO_RECOMMENDATIONS);
      if (maxShift(previous, weights) < this.settings.changeEpsilon) continue;
      const change: WeightChange = { id: ulid(this.clock.now()), at: this.clock.now(), scope, previous, weights, outcomes: list.length, reason: explain(scores) };
      // The outcomes may have been written by another process: learned maps are rebuilt with the weights.
      this.calibrations = null;
      await this.repo.addWeightChange(change);
      changes.push(change);
    }
    return changes;
  }

  /**
   * Weights the ensemble should use now: the configured ones when frozen or before any change,
   * the regime's own when learned per regime and that regime has moved, else the all-regime ones.
   */
  async weights(regime?: string): Promise<Record<string, number>> {
    const base = this.baseWeights();
    if (this.settings.frozen) return base;
    const sameMembers = (w: Record<string, number>) => Object.keys(w).length === Object.keys(base).length && Object.keys(base).every((k) => k in w);
    const candidates = this.settings.perRegime && regime ? [regime, ALL_REGIMES] : [ALL_REGIMES];
    for (const scope of candidates) {
      const latest = await this.repo.latestWeights(scope);
      if (latest && sameMembers(latest.weights)) return latest.weights;
    }
    return base;
  }

  async summary(pair: string, regime: string): Promise<string | null> {
    const recent = await this.repo.outcomes({ limit: this.settings.summaryWindow });
    if (recent.length === 0) return null;
    // Fewer than the window: `recent` already holds every outcome, so the regime's are among them.
    const inRegime = recent.length < this.settings.summaryWindow ? recent.filter((o) => o.regime === regime) : await this.repo.outcomes({ regime, limit: this.settings.summaryWindow });
    return memorySummary({ pair, regime, recent, inRegime, weights: await this.weights(regime) });
  }
}
