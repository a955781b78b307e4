import type { Clock } from '../core/clock.js';
import { isFfeError } from '../core/errors.js';
import { validateDataFreshness, type FreshnessThresholds } from '../core/freshness.js';
import { getMarketStatus } from '../core/market-schedule.js';
import type { OrderSide, Position } from '../core/order.js';
import { classifyPair } from '../core/pair.js';
import { tradingDayStart } from '../core/trading-day.js';
import type { MarketData } from '../data/port.js';
import { dailyReturns } from './stats.js';
import type { Exposure, PortfolioContext, ReturnSeries, RiskConfig } from './types.js';
import type { EquitySnapshotRepository } from '../store/port.js';

const DAY = 86_400_000;

/** The read side of an account: what the context needs from a venue. */
export interface AccountReader {
  equity(): Promise<{ currency: string; value: string }>;
  positions(): Promise<Position[]>;
}

export interface ContextDeps {
  account: AccountReader;
  /** Key of the account's equity curve (`paper` / `live`). */
  accountKey: string;
  marketData: MarketData;
  snapshots: EquitySnapshotRepository;
  clock: Clock;
  freshness: FreshnessThresholds;
  limits: RiskConfig;
  /** Whose midnight starts the trading day of the daily-loss rule (the agent's too); default UTC. */
  timeZone?: string;
}

export interface TradeQuery {
  pair: string;
  side: OrderSide;
  /** Base units; positive. */
  units: number;
}

const signedUnits = (p: Pick<Position, 'side' | 'units'>): number => (p.side === 'long' ? 1 : -1) * Number(p.units);

/**
 * Builds the risk gate's inputs from real data, never leaving one empty: holdings and equity from
 * the venue, the equity curve from stored snapshots, daily returns from 1d candles that closed at
 * or before the market's now (no look-ahead).
 */
export class PortfolioContextBuilder {
  constructor(private readonly deps: ContextDeps) {}

  /** `known`: the account's positions when the caller has just read them (saves the venue a second call). */
  async build(q: TradeQuery, known?: readonly Position[]): Promise<PortfolioContext> {
    const { account, marketData, clock } = this.deps;
    const info = classifyPair(q.pair);
    const sample = await marketData.sampleInfo(info.symbol);
    const now = clock.now();
    // A replay's clock runs inside the sample; only a clock past the sample's end is clamped to it.
    const marketNow = Math.min(sample?.asOf ?? Infinity, now);
    const [eq, venuePositions, quote] = await Promise.all([account.equity(), known ?? account.positions(), marketData.latestQuote(info.symbol, marketNow)]);
    const equity = Number(eq.value);

    const positions: Exposure[] = await Promise.all(
      venuePositions.map(async (p) => ({
        pair: p.pair,
        assetClass: classifyPair(p.pair).assetClass,
        units: signedUnits(p),
        price: p.markPrice !== null ? Number(p.markPrice) : (await marketData.latestQuote(p.pair, marketNow)).price,
      })),
    );
    const held = positions.filter((p) => p.pair === info.symbol).reduce((s, p) => s + p.units, 0);
    const signed = q.side === 'buy' ? q.units : -q.units;
    const reducesExposure = held !== 0 && Math.sign(signed) !== Math.sign(held) && Math.abs(signed) <= Math.abs(held) + 1e-12;

    const pairs = [...new Set([info.symbol, ...positions.map((p) => p.pair)])];
    const returns: Record<string, ReturnSeries> = {};
    await Promise.all(pairs.map(async (p) => (returns[p] = await this.returnsOf(p, marketNow))));

    const curve = await this.curve(now, equity);
    return {
      now,
      marketNow,
      currency: eq.currency,
      equity,
      positions,
      trade: { pair: info.symbol, assetClass: info.assetClass, side: q.side, units: q.units, price: quote.price, reducesExposure },
      equityCurve: curve.points,
      dayStartEquity: curve.dayStart,
      returns,
      market: {
        status: getMarketStatus(info.assetClass, marketNow),
        freshness: validateDataFreshness(quote.timestamp, info.assetClass, 'intraday', marketNow, this.deps.freshness),
        quoteAt: quote.timestamp,
      },
    };
  }

  private async returnsOf(pair: string, end: number): Promise<ReturnSeries> {
    const { limits, marketData } = this.deps;
    try {
      // Twice the lookback: days missing on one asset (weekends for forex) shrink the common set.
      const candles = await marketData.candles({ pair, timeframe: '1d', end, limit: limits.var_lookback_days * 2 + 1 });
      return dailyReturns(candles);
    } catch (e) {
      // No daily history is an answer the checks report (they deny); other failures are real errors.
      if (isFfeError(e) && (e.code === 'TIMEFRAME_UNAVAILABLE' || e.code === 'NO_DATA' || e.code === 'PAIR_NOT_AVAILABLE')) return { dates: [], values: [] };
      throw e;
    }
  }

  /**
   * The curve as the rules read it: its peak over the lookback and now (the drawdown rule takes
   * the maximum), and the day's opening equity — the last value before midnight, failing that
   * the day's first, failing that now.
   */
  private async curve(now: number, equity: number): Promise<{ points: { at: number; equity: number }[]; dayStart: number }> {
    const { snapshots, accountKey, limits } = this.deps;
    const from = now - limits.drawdown_lookback_days * DAY;
    const dayStartMs = tradingDayStart(now, this.deps.timeZone ?? 'UTC');
    const { peak, dayOpen } = await snapshots.landmarks(accountKey, from, now, dayStartMs);
    const points = [...(peak ? [{ at: peak.at, equity: Number(peak.equity) }] : []), { at: now, equity }];
    return { points, dayStart: dayOpen ? Number(dayOpen.equity) : equity };
  }
}
