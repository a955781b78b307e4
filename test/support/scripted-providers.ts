import type { Action } from '../../src/core/decision.js';
import type { MarketData } from '../../src/data/port.js';
import type { AnalysisContext, DecisionProvider, ProviderResult } from '../../src/providers/port.js';
import { mulberry32 } from '../fixtures/indicators/random.js';

/** Seeded coin flips, so every run of a test sees the same ones. */
export const seeded = mulberry32;

const answer = (action: Action, reasoning: string): ProviderResult => ({ ok: true, signal: { action, confidence: 85, reasoning }, latencyMs: 0 });

abstract class ScriptedProvider implements DecisionProvider {
  readonly kind = 'scripted';
  readonly model = null;

  constructor(readonly name: string) {}

  abstract decide(ctx: AnalysisContext): Promise<ProviderResult>;
}

/**
 * TEST HARNESS ONLY — these providers cheat on purpose. `Oracle` reads the replayed data's
 * price `horizonMs` after the decision time (the future, which no real provider may see) and
 * then tells the truth with probability `truthRate` (or always lies with truthRate 0). It exists
 * to give the feedback loop providers of known skill; nothing like it belongs in src/.
 */
export class OracleProvider extends ScriptedProvider {
  constructor(
    name: string,
    private readonly data: MarketData,
    private readonly horizonMs: number,
    private readonly truthRate: number,
    private readonly random: () => number,
  ) {
    super(name);
  }

  async decide(ctx: AnalysisContext): Promise<ProviderResult> {
    const future = await this.data.latestQuote(ctx.pair.symbol, ctx.asOf + this.horizonMs);
    const truth: Action = future.price >= ctx.price ? 'BUY' : 'SELL';
    const lie: Action = truth === 'BUY' ? 'SELL' : 'BUY';
    const honest = this.random() < this.truthRate;
    return answer(honest ? truth : lie, `scripted: peeked at the price ${this.horizonMs / 3_600_000} h ahead and ${honest ? 'told the truth' : 'lied'}`);
  }
}

/** A coin: BUY or SELL with equal odds, blind to the data. */
export class CoinProvider extends ScriptedProvider {
  constructor(
    name: string,
    private readonly random: () => number,
  ) {
    super(name);
  }

  async decide(): Promise<ProviderResult> {
    return answer(this.random() < 0.5 ? 'BUY' : 'SELL', 'scripted: coin flip');
  }
}

/** Always the same call: drives the agent into a known position in tests. */
export class FixedProvider extends ScriptedProvider {
  constructor(
    name: string,
    private readonly action: Action,
  ) {
    super(name);
  }

  async decide(): Promise<ProviderResult> {
    return answer(this.action, `scripted: always ${this.action}`);
  }
}
