import { fillable, impact, rangeSigma, type FillModel } from '../../backtest/fill-model.js';
import { D, dec, type Dec } from '../decimal.js';

/** What one market fill takes now: its units (after the participation limit) and its slippage fraction (fixed + impact). */
export interface MarketFill {
  units: Dec;
  rate: Dec;
}

interface Remembered {
  high: number;
  low: number;
  volume: number;
  /** Units opening orders already took of this bar (the participation limit counts them). */
  used: number;
}

/**
 * The paper venue's side of the backtest fill model (backtest/fill-model.ts): it keeps, per pair,
 * the last bars it was fed with a volume (the last one and `volatilityBars` before it, for σ) and
 * prices a market fill against them as the backtest does — so a replay and a backtest fill alike.
 * Without a model, or before any bar with a volume, a fill is whole at the fixed slippage, as
 * before (a live quote carries no volume; a forex bar's 0 means none, and fill-model.ts gives it
 * no limit and no impact).
 */
export class BarMemory {
  private readonly bars = new Map<string, Remembered[]>();

  constructor(
    private readonly model: FillModel | undefined,
    /** `costs.volume_impact`: the linear model's coefficient. */
    private readonly linear: number,
    private readonly slipRate: Dec,
  ) {}

  /** A bar of `pair` the venue was given; bars without a volume (quotes) are not bars of the feed and are not kept. */
  remember(pair: string, bar: { high: number; low: number; volume?: number }): void {
    const m = this.model;
    if (!m || bar.volume === undefined) return;
    const list = this.bars.get(pair) ?? [];
    list.push({ high: bar.high, low: bar.low, volume: bar.volume, used: 0 });
    const keep = Math.max(0, m.volatilityBars) + 1;
    if (list.length > keep) list.splice(0, list.length - keep);
    this.bars.set(pair, list);
  }

  /**
   * A market fill of `want` units of `pair` against the last bar remembered: an opening order
   * (`split`) takes at most what the participation limit leaves of the bar's volume (cut to
   * `decimals`); the units taken pay the fixed slippage plus the impact on them. σ is over the
   * bars completed before the fill, as the backtest measures it: the `volatilityBars` up to and
   * including the last bar for an order placed after it (at its close), the ones before it for a
   * fill inside it (`inBar`: a stop, a carried rest at its open). A split fill counts against the
   * bar's room even if the book then refuses it (the order is rejected and trades nothing).
   */
  fill(pair: string, want: Dec, split: boolean, decimals: number, inBar = false): MarketFill {
    const m = this.model;
    const list = this.bars.get(pair);
    if (!m || !list?.length) return { units: want, rate: this.slipRate };
    const last = list[list.length - 1];
    const room = split ? fillable(m, want.toNumber(), last.volume, last.used, decimals) : want.toNumber();
    // Keep the order's exact decimals unless the limit cut it.
    const units = room >= want.toNumber() ? want : D.min(want, new D(room.toFixed(decimals)));
    if (split) last.used += units.toNumber();
    const span = inBar ? list.slice(0, -1) : m.volatilityBars > 0 ? list.slice(-m.volatilityBars) : [];
    const sigma = rangeSigma(
      span.map((b) => b.high),
      span.map((b) => b.low),
      0,
      span.length,
    );
    return { units, rate: this.slipRate.add(dec(impact(m, this.linear, units.toNumber(), last.volume, sigma))) };
  }

  /** The volume of the last bar remembered for `pair` (for a refusal's reason), or null. */
  lastVolume(pair: string): number | null {
    const list = this.bars.get(pair);
    return list?.length ? list[list.length - 1].volume : null;
  }
}
