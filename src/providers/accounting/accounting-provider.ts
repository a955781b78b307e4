import { ProviderDecorator } from '../llm/capabilities.js';
import type { AnalysisContext, DecideOptions, DecisionProvider, ProviderResult } from '../port.js';
import type { ProviderUsageRepository, UsageTotals } from '../../store/port.js';

export interface Budget {
  dailyCalls: number | null;
  dailyTokens: number | null;
}

export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
export const tokensOf = (t: Pick<UsageTotals, 'promptTokens' | 'completionTokens'>): number => t.promptTokens + t.completionTokens;

/** Why the budget stops the next call, or null. */
export function budgetSpent(t: UsageTotals | null, b: Budget, day: string): string | null {
  if (!t) return null;
  if (b.dailyCalls !== null && t.calls >= b.dailyCalls) return `daily call budget of ${b.dailyCalls} spent (${t.calls} calls on ${day} UTC; resets at 00:00 UTC)`;
  if (b.dailyTokens !== null && tokensOf(t) >= b.dailyTokens) return `daily token budget of ${b.dailyTokens} spent (${tokensOf(t)} tokens on ${day} UTC; resets at 00:00 UTC)`;
  return null;
}

export type ProviderFailure = Extract<ProviderResult, { ok: false }>;

export interface AccountingOptions {
  /** Wall clock for the UTC day (budgets are real spend, even in a replayed backtest). */
  now?: () => number;
  /** Told of every failure, budget refusals included (the composition root logs them). */
  onFailure?: (provider: string, failure: ProviderFailure) => void;
}

/**
 * Counts every real call of a provider per UTC day (calls, failures, latency, tokens where the
 * server reports them) and turns the provider off with BUDGET_EXHAUSTED once a daily budget is
 * spent. The budget is checked before a call, so concurrent calls may overshoot it by a few.
 */
export class AccountedProvider extends ProviderDecorator {
  constructor(
    inner: DecisionProvider,
    private readonly store: ProviderUsageRepository,
    readonly budget: Budget,
    private readonly opts: AccountingOptions = {},
  ) {
    super(inner);
  }

  async decide(ctx: AnalysisContext, opts: DecideOptions = {}): Promise<ProviderResult> {
    const day = utcDay((this.opts.now ?? Date.now)());
    if (this.budget.dailyCalls !== null || this.budget.dailyTokens !== null) {
      const spent = budgetSpent(await this.store.get(this.name, day), this.budget, day);
      if (spent) return this.failed({ ok: false, code: 'BUDGET_EXHAUSTED', reason: spent, latencyMs: 0 });
    }
    const r = await this.inner.decide(ctx, opts);
    await this.store.add(this.name, day, {
      ok: r.ok,
      latencyMs: Math.round(r.latencyMs),
      promptTokens: r.usage?.promptTokens ?? 0,
      completionTokens: r.usage?.completionTokens ?? 0,
      failure: r.ok ? undefined : `${r.code}: ${r.reason}`,
    });
    return r.ok ? r : this.failed(r);
  }

  private failed(f: ProviderFailure): ProviderFailure {
    this.opts.onFailure?.(this.name, f);
    return f;
  }
}
