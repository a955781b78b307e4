import type { PortfolioMemory } from './memory-service.js';

/**
 * Memory summaries kept until the memory changes: a replay's engine asks one per decision, and
 * they change only when a trade is recorded or the weights are re-learned, which the replay's
 * agent does through `record` and `learn` here. For a store no other process writes outcomes or
 * weights to (a replay's).
 */
export class CachedMemory {
  private readonly summaries = new Map<string, Promise<string | null>>();

  constructor(private readonly memory: Pick<PortfolioMemory, 'summary' | 'record' | 'learn'>) {}

  summary(pair: string, regime: string): Promise<string | null> {
    const key = `${pair}\u0000${regime}`;
    let s = this.summaries.get(key);
    if (!s) {
      s = this.memory.summary(pair, regime);
      // A failed read is not kept: the next decision asks again.
      s.catch(() => this.summaries.delete(key));
      this.summaries.set(key, s);
    }
    return s;
  }

  async record(...a: Parameters<PortfolioMemory['record']>): ReturnType<PortfolioMemory['record']> {
    try {
      return await this.memory.record(...a);
    } finally {
      this.summaries.clear();
    }
  }

  async learn(): ReturnType<PortfolioMemory['learn']> {
    try {
      return await this.memory.learn();
    } finally {
      this.summaries.clear();
    }
  }
}
