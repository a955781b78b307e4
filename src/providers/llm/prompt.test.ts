import { describe, expect, it } from 'vitest';
import { AS_OF, fakeContext, newsItem } from '../../../test/fakes/analysis-context.js';
import type { FundamentalsSection } from '../../core/fundamentals.js';
import { buildPrompt, DECISION_JSON_SCHEMA, promptText } from './prompt.js';

describe('buildPrompt', () => {
  it('renders the pulse, indicators, regime, positions, memory, costs and the rules', () => {
    const ctx = fakeContext({
      positions: [{ pair: 'BTCUSD', side: 'long', units: 0.1, entryPrice: 65_000, unrealizedPnl: 251.2, openedAt: AS_OF - 86_400_000 }],
      memorySummary: 'last 5 trades: 3 wins, 2 losses, +1.2 %',
    });
    const { system, user } = buildPrompt(ctx);
    expect(system).toMatch(/Answer HOLD when the market is closed or the data is stale/);
    expect(system).toMatch(/"action": "BUY" \| "SELL" \| "HOLD"/);
    expect(user).toContain('Pair: BTCUSD (crypto, BTC/USD)');
    expect(user).toContain('Decision time: 2024-06-03T12:00:00.000Z');
    expect(user).toContain(ctx.pulse.description);
    expect(user).toContain('Regime: TRENDING_UP on 1d (ADX 31.4, ATR 2.50%)');
    expect(user).toMatch(/^1d \| UPTREND \| 70 \| 67500 \| 61\.2 \| 410\.5 \| 0\.72 \| 31\.4 \| 2\.50% \| 66150 \| 64125$/m);
    expect(user).toContain('1m | unavailable: no 1m data in the sample');
    expect(user).toContain('BTCUSD long 0.1 units @ 65000, unrealised P&L 251.2');
    expect(user).toContain('Recent outcomes: last 5 trades: 3 wins, 2 losses, +1.2 %');
    expect(user).toContain('Costs per fill: fee 0.100%, slippage 0.010%.');
    expect(user).toContain('Market: OPEN');
    expect(user).toContain('Data: fresh');
  });

  it('says when the market is closed and the data stale, for the HOLD rule to apply', () => {
    const { user } = buildPrompt(
      fakeContext({ marketStatus: { isOpen: false, session: 'Closed', reason: 'weekend' }, freshness: { isFresh: false, ageText: '2.00 hours', warning: 'CRITICAL: stale', ageMs: 7_200_000 } }),
    );
    expect(user).toContain('Market: CLOSED (session Closed; weekend)');
    expect(user).toContain('Data: STALE, last price 2.00 hours old (CRITICAL: stale)');
  });

  it('lists news with timestamps, newest first, and never an item published after the decision time', () => {
    const ctx = fakeContext({ news: [newsItem('Old ETF news', AS_OF - 7_200_000, 0.2), newsItem('Fresh halving news', AS_OF - 60_000, 0.4), newsItem('FUTURE crash', AS_OF + 1, -0.9)] });
    const { user } = buildPrompt(ctx);
    expect(user).not.toContain('FUTURE crash');
    const fresh = user.indexOf('2024-06-03T11:59:00.000Z [sentiment 0.4 Somewhat-Bullish, relevance 0.8] Fresh halving news');
    const old = user.indexOf('2024-06-03T10:00:00.000Z [sentiment 0.2 Somewhat-Bullish, relevance 0.8] Old ETF news');
    expect(fresh).toBeGreaterThan(0);
    expect(old).toBeGreaterThan(fresh);
  });

  it('includes the fundamentals section of a stock when present, and nothing of it otherwise', () => {
    const base = fakeContext();
    expect(buildPrompt(base).user).not.toContain('Fundamentals');
    const fundamentals: FundamentalsSection = {
      symbol: 'IBM',
      asOf: AS_OF,
      latestReport: '2024-04-24',
      valuation: { price: 170, pe: 170 / 9.89, trailingEps: 9.89, peg: null, priceToBook: null },
      growth: { quarter: '2024-03-31', revenueYoY: 0.0147, netIncomeYoY: 0.699, epsYoY: -0.05 },
      surprises: [{ fiscalDateEnding: '2024-03-31', reportedDate: '2024-04-24', reportedEps: 1.68, estimatedEps: 1.6, surprisePercent: 5 }],
      overview: null,
    };
    const { user } = buildPrompt({ ...base, pulse: { ...base.pulse, fundamentals } });
    expect(user).toContain('Fundamentals (reports published at or before the decision time; newest 2024-04-24):');
    expect(user).toContain('Valuation at 170: P/E 17.19 (trailing 4-quarter EPS 9.89), PEG n/a, P/B n/a');
    expect(user).toContain('Growth YoY (quarter ending 2024-03-31): revenue +1.5%, net income +69.9%, EPS -5.0%');
    expect(user).toContain('- 2024-03-31 reported 2024-04-24: EPS 1.68 vs estimate 1.6 (surprise 5%)');
    expect(user).not.toContain('Company overview');
  });

  it('is deterministic: the same context gives the same text (stable cassette keys)', () => {
    expect(promptText(buildPrompt(fakeContext()))).toBe(promptText(buildPrompt(fakeContext())));
    expect(promptText(buildPrompt(fakeContext({ price: 1 })))).not.toBe(promptText(buildPrompt(fakeContext())));
  });

  it('the structured-output schema requires every field (OpenAI strict mode)', () => {
    expect([...DECISION_JSON_SCHEMA.required].sort()).toEqual(Object.keys(DECISION_JSON_SCHEMA.properties).sort());
    expect(DECISION_JSON_SCHEMA.additionalProperties).toBe(false);
  });
});
