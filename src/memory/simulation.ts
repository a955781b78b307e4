import { rng } from '../backtest/synthetic.js';
import { outcome } from './test-outcomes.js';
import type { ProviderVote, TradeOutcome } from './types.js';
import { adaptiveWeights, type WeightParams } from './weights.js';

/**
 * Seeded simulations of the feedback loop: providers with a known hit rate vote on a stream of
 * closed trades, and the weights are recomputed after every trade exactly as `PortfolioMemory`
 * does. The test and the bench case measure the gate's goals with them.
 */
export interface SimulationSpec {
  seed: number;
  trades: number;
  /** Each provider's chance of calling the direction right (equal configured weights). */
  hitRates: Record<string, number>;
  params: WeightParams;
  /** Round-trip cost charged on every trade (fraction of entry). */
  cost?: number;
}

export interface SimulationRun {
  /** Weights after each closed trade, as fractions of the configured total (index 0 = after trade 1). */
  path: Record<string, number>[];
}

/** One seeded run: moves of 0.5–2 % in a random direction, each provider right with its own probability. */
export function simulate(spec: SimulationSpec): SimulationRun {
  const rand = rng(spec.seed);
  const names = Object.keys(spec.hitRates);
  const base = Object.fromEntries(names.map((k) => [k, 1 / names.length]));
  const outcomes: TradeOutcome[] = [];
  const path: Record<string, number>[] = [];
  for (let t = 0; t < spec.trades; t++) {
    const up = rand() < 0.5;
    const size = 0.005 + rand() * 0.015;
    const votes: ProviderVote[] = names.map((k) => {
      const right = rand() < spec.hitRates[k];
      return { provider: k, action: up === right ? 'BUY' : 'SELL', confidence: 60 };
    });
    // Entry 100 and one unit: fees of 100 × cost are a cost fraction of `cost`.
    outcomes.push(outcome(up ? size : -size, votes, { fees: 100 * (spec.cost ?? 0.002) }));
    path.push(adaptiveWeights(base, outcomes, spec.params).weights);
  }
  return { path };
}

/** Trades until `provider`'s weight first falls to `fraction` of its configured share or below; null if it never does. */
export function tradesUntilBelow(run: SimulationRun, provider: string, fraction: number): number | null {
  const share = 1 / Object.keys(run.path[0] ?? {}).length;
  const i = run.path.findIndex((w) => w[provider] <= fraction * share + 1e-12);
  return i < 0 ? null : i + 1;
}

/** Whether `provider`'s weight was ever (or, with `atEnd`, finally) below `fraction` of its configured share. */
export function demoted(run: SimulationRun, provider: string, fraction: number, atEnd = false): boolean {
  const share = 1 / Object.keys(run.path[0] ?? {}).length;
  const below = (w: Record<string, number>) => w[provider] < fraction * share;
  return atEnd ? below(run.path[run.path.length - 1]) : run.path.some(below);
}
