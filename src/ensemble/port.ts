/**
 * How the ensemble gets its member weights: the hook of the feedback loop. The default is the
 * configured weights (StaticWeights); an adaptive source can re-weight from realised P&L.
 */
export interface WeightContext {
  pair: string;
  regime: string;
}

export interface WeightSource {
  /** Shown in the decision metadata (`weights_source`), e.g. `config` or `adaptive`. */
  readonly name: string;
  /**
   * A non-negative weight per provider name. Need not sum to 1: the ensemble renormalises over
   * the providers that answered. A name left out, or a negative or non-finite weight, counts as 0.
   */
  weights(providerNames: string[], ctx: WeightContext): Promise<Record<string, number>>;
  /**
   * Optional: the confidence a member votes with, as a function of its stated confidence (0–100),
   * e.g. calibrated from its realised hit rate. Members left out vote with their stated confidence.
   */
  confidences?(providerNames: string[], ctx: WeightContext): Promise<Record<string, (stated: number) => number>>;
}

/** Fixed weights (from config); names without one get `fallback`. */
export class StaticWeights implements WeightSource {
  readonly name = 'config';

  constructor(
    private readonly configured: Record<string, number>,
    private readonly fallback = 1,
  ) {}

  async weights(providerNames: string[]): Promise<Record<string, number>> {
    return Object.fromEntries(providerNames.map((n) => [n, this.configured[n] ?? this.fallback]));
  }
}
