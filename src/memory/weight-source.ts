import type { WeightContext, WeightSource } from '../ensemble/port.js';
import type { PortfolioMemory } from './memory-service.js';

/** The ensemble's weights from the feedback loop: learned weights where there are any, the configured ones otherwise. */
export class AdaptiveWeights implements WeightSource {
  constructor(
    private readonly memory: PortfolioMemory,
    private readonly configured: (name: string) => number,
    /** An operator's live override (`PATCH /api/v1/bot/config`): while set it wins over learned and configured weights. */
    private readonly override: () => Record<string, number> | null = () => null,
  ) {}

  get name(): string {
    return this.memory.settings.frozen ? 'config (adaptive weights frozen)' : 'adaptive';
  }

  async weights(providerNames: string[], ctx: WeightContext): Promise<Record<string, number>> {
    const fixed = this.override();
    if (fixed) return Object.fromEntries(providerNames.map((n) => [n, fixed[n] ?? 0]));
    const learned = await this.memory.weights(ctx.regime);
    return Object.fromEntries(providerNames.map((n) => [n, learned[n] ?? this.configured(n)]));
  }

  /** Calibrated confidence (memory.calibrated_confidence) for the members with enough judged calls. */
  async confidences(providerNames: string[]): Promise<Record<string, (stated: number) => number>> {
    const maps = await this.memory.confidenceMaps();
    return Object.fromEntries(providerNames.filter((n) => maps[n]).map((n) => [n, maps[n]]));
  }
}
