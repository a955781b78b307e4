import type { Config } from '../config/schema.js';
import type { EngineSettings } from '../engine/analysis-engine.js';
import { tradePolicy } from './policy-setup.js';

/** Runtime overrides of the configuration an operator may change while the agent runs (`PATCH /api/v1/bot/config`). */
export interface TuningOverrides {
  /** sizing.stop_loss (with stop_rule fixed). */
  stop_loss_pct?: number;
  /** sizing.risk_fraction: fraction of equity a position risks. */
  position_size_pct?: number;
  /** decision_engine.decision_threshold. */
  confidence_threshold?: number;
  /** Most positions the agent holds at once (no config key: default DEFAULT_MAX_CONCURRENT_TRADES). */
  max_concurrent_trades?: number;
  /** Ensemble weights per member; they win over learned and configured weights while set. */
  provider_weights?: Record<string, number>;
}

/** The stop and target a running agent was started with (`bot start {take_profit, stop_loss}`): they apply to what it opens. */
export interface RunPolicy {
  stop_loss?: number;
  take_profit?: number;
}

/** Where the operator's overrides are kept (agent state): every process on the store applies them when it opens. */
export const TUNING_KEY = 'bot:config';

/** Without an override the agent may hold this many positions at once (the most the API accepts). */
export const DEFAULT_MAX_CONCURRENT_TRADES = 10;

/**
 * The one place live-tunable settings are read from. The analysis engine reads its threshold and
 * trade policy from the settings object it was built with on every analysis: `apply` rewrites
 * that object, so the next decision sees the new values without rebuilding anything. The agent
 * and the ensemble's weight source ask this object on every cycle / analysis.
 */
export class Tuning {
  private overrides: TuningOverrides = {};
  private run: RunPolicy = {};

  constructor(
    private readonly config: Config,
    private readonly engine: EngineSettings,
  ) {}

  /** Sets the operator's overrides (replacing earlier ones) and applies them at once. */
  setOverrides(o: TuningOverrides): void {
    this.overrides = { ...o };
    this.apply();
  }

  /** Sets (or, with `{}`, clears) the running agent's stop and target. */
  setRun(r: RunPolicy): void {
    this.run = { ...r };
    this.apply();
  }

  private apply(): void {
    const o = this.overrides;
    const policy = tradePolicy(this.config);
    if (o.position_size_pct !== undefined) policy.riskFraction = o.position_size_pct;
    const stop = this.run.stop_loss ?? o.stop_loss_pct;
    if (stop !== undefined) {
      policy.stopRule = 'fixed';
      policy.stopLoss = stop;
    }
    if (this.run.take_profit !== undefined) policy.takeProfit = this.run.take_profit;
    this.engine.policy = policy;
    this.engine.decisionThreshold = o.confidence_threshold ?? this.config.decision_engine.decision_threshold;
  }

  /** The values in force (numbers; provider weights only when overridden). */
  effective() {
    return {
      stop_loss_pct: this.engine.policy.stopLoss,
      position_size_pct: this.engine.policy.riskFraction,
      confidence_threshold: this.engine.decisionThreshold,
      max_concurrent_trades: this.maxConcurrentTrades(),
      provider_weights: this.providerWeights(),
    };
  }

  overridden(): TuningOverrides {
    return { ...this.overrides };
  }

  maxConcurrentTrades(): number {
    return this.overrides.max_concurrent_trades ?? DEFAULT_MAX_CONCURRENT_TRADES;
  }

  /** The operator's ensemble weights, or null (learned / configured weights apply). */
  providerWeights(): Record<string, number> | null {
    return this.overrides.provider_weights ? { ...this.overrides.provider_weights } : null;
  }
}
