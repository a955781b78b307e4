import type { WeightContext, WeightSource } from '../ensemble/port.js';
import type { PortfolioMemory } from './memory-service.js';

/** The ensemble's weights from the feedback loop: learned weights where there are any, the configured ones otherwise. */
export class AdaptiveWeights implements WeightSource {
  constructor(
    private readonly memory: PortfolioMemory,
    private readonly configured: (name: string) => number,
  ) {}

  get name(): string {
    return this.memory.settings.frozen ? 'config (adaptive weights frozen)' : 'adaptive';
  }

  async weights(providerNames: string[], ctx: WeightContext): Promise<Record<string, number>> {
    const learned = await this.memory.weights(ctx.regime);
    return Object.fromEntries(providerNames.map((n) => [n, learned[n] ?? this.configured(n)]));
  }
}
