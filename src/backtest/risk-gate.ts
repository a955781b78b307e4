import type { Candle } from '../core/candle.js';
import type { FreshnessThresholds } from '../core/freshness.js';
import { validateDataFreshness } from '../core/freshness.js';
import { getMarketStatus } from '../core/market-schedule.js';
import type { RiskGatekeeper } from '../risk/gatekeeper.js';
import { dailyReturns } from '../risk/stats.js';
import type { Exposure, PortfolioContext, ReturnSeries, RiskConfig } from '../risk/types.js';
import type { BacktestData, BookView, EntryIntent, RiskGate } from './port.js';

const DAY = 86_400_000;

/**
 * The live RiskGatekeeper fed from the simulated book: holdings at the last close, the
 * backtest's own equity curve, and daily returns of bars closed by the decision time, so
 * correlation, concentration, VaR and drawdown rules judge each entry as they would live.
 */
export class GatekeeperRiskGate implements RiskGate {
  private times: number[] = [];
  private equities: number[] = [];
  private readonly returns: ReturnSeries[];

  constructor(
    private readonly gate: RiskGatekeeper,
    private readonly limits: RiskConfig,
    data: BacktestData,
    daily: (readonly Candle[])[],
    private readonly freshness: FreshnessThresholds,
  ) {
    this.returns = data.pairs.map((_, p) => dailyReturns(daily[p] ?? []));
  }

  observe(time: number, equity: number): void {
    this.times.push(time);
    this.equities.push(equity);
  }

  /** Returns dated by the day of their later bar, which closes a day after that date. */
  private returnsAt(p: number, t: number): ReturnSeries {
    const s = this.returns[p];
    let hi = s.dates.length;
    while (hi > 0 && s.dates[hi - 1] + DAY > t) hi--;
    const lo = Math.max(0, hi - (this.limits.var_lookback_days * 2 + 1));
    return { dates: s.dates.slice(lo, hi), values: s.values.slice(lo, hi) };
  }

  private curve(t: number, equity: number): { points: { at: number; equity: number }[]; dayStart: number } {
    const from = t - this.limits.drawdown_lookback_days * DAY;
    let lo = this.times.length;
    while (lo > 0 && this.times[lo - 1] >= from) lo--;
    const points = this.times.slice(lo).map((at, j) => ({ at, equity: this.equities[lo + j] }));
    points.push({ at: t, equity });
    const midnight = t - (t % DAY);
    const before = points.filter((x) => x.at < midnight).pop();
    return { points, dayStart: (before ?? points.find((x) => x.at >= midnight))!.equity };
  }

  check(intent: EntryIntent, book: BookView, data: BacktestData): string | null {
    const t = intent.time;
    const equity = book.equity();
    const positions: Exposure[] = [];
    const returns: Record<string, ReturnSeries> = {};
    data.pairs.forEach((s, p) => {
      if (book.units[p] === 0 && p !== intent.pairIndex) return;
      returns[s.pair.symbol] = this.returnsAt(p, t);
      if (book.units[p] !== 0) positions.push({ pair: s.pair.symbol, assetClass: s.pair.assetClass, units: book.units[p], price: book.lastClose[p] });
    });
    const info = data.pairs[intent.pairIndex].pair;
    const curve = this.curve(t, equity);
    const ctx: PortfolioContext = {
      now: t,
      marketNow: t,
      currency: info.quote,
      equity,
      positions,
      trade: { pair: info.symbol, assetClass: info.assetClass, side: intent.direction > 0 ? 'buy' : 'sell', units: intent.units, price: intent.price, reducesExposure: false },
      equityCurve: curve.points,
      dayStartEquity: curve.dayStart,
      returns,
      market: { status: getMarketStatus(info.assetClass, t), freshness: validateDataFreshness(t, info.assetClass, 'intraday', t, this.freshness), quoteAt: t },
    };
    const r = this.gate.evaluate(intent.decision, ctx);
    return r.approved ? null : r.denials.map((d) => `${d.code}: ${d.message}`).join('; ');
  }
}
