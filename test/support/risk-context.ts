import { configSchema } from '../../src/config/schema.js';
import type { Decision } from '../../src/core/decision.js';
import type { Exposure, PortfolioContext, ProposedTrade, RiskConfig } from '../../src/risk/types.js';

export const NOW = Date.UTC(2024, 5, 12, 15, 0);
const DAY = 86_400_000;

/** The shipped defaults of the `risk` section, with overrides. */
export const limits = (over: Partial<RiskConfig> = {}): RiskConfig => ({ ...configSchema.parse({}).risk, ...over });

/** `n` daily returns ending the day before NOW, from a generator. */
export function series(n: number, f: (i: number) => number) {
  const dates = Array.from({ length: n }, (_, i) => NOW - (NOW % DAY) - (n - i) * DAY);
  return { dates, values: dates.map((_, i) => f(i)) };
}

export const exposure = (pair: string, units: number, price: number, assetClass: Exposure['assetClass'] = 'crypto'): Exposure => ({ pair, units, price, assetClass });

/** A healthy portfolio: 10 000 USD equity, no positions, a small BTCUSD buy, an open market. */
export function context(over: Partial<Omit<PortfolioContext, 'trade'>> & { trade?: Partial<ProposedTrade> } = {}): PortfolioContext {
  const { trade, ...rest } = over;
  return {
    now: NOW,
    marketNow: NOW,
    currency: 'USD',
    equity: 10_000,
    positions: [],
    equityCurve: [{ at: NOW, equity: 10_000 }],
    dayStartEquity: 10_000,
    returns: { BTCUSD: series(60, (i) => (i % 2 ? 0.01 : -0.01)) },
    market: { status: { isOpen: true, session: 'Open', reason: '' }, freshness: { isFresh: true, ageText: '1.0 minutes', warning: '', ageMs: 60_000 }, quoteAt: NOW - 60_000 },
    ...rest,
    trade: { pair: 'BTCUSD', assetClass: 'crypto', side: 'buy', units: 0.01, price: 50_000, reducesExposure: false, ...trade },
  };
}

/** A minimal BUY decision for the checks that read one (volatility, decision age). */
export function decision(over: Partial<Decision> = {}, dailyAtrFraction: number | null = 0.02): Decision {
  const indicators = dailyAtrFraction === null ? null : ({ atrFraction: dailyAtrFraction } as NonNullable<Decision['pulse']['timeframes'][number]['indicators']>);
  return {
    id: 'D1',
    assetPair: 'BTCUSD',
    assetClass: 'crypto',
    timestamp: new Date(NOW).toISOString(),
    action: 'BUY',
    confidence: 70,
    pulse: { timeframes: [{ timeframe: '1d', status: indicators ? 'ok' : 'unavailable', indicators }] },
    regime: { regime: 'RANGING', timeframe: '1d', adx: 20, atrFraction: dailyAtrFraction, reason: '' },
    provider: 'rules',
    model: null,
    gates: [],
    reasoning: 'test decision',
    metadata: {},
    ...over,
  } as Decision;
}
