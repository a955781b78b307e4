/**
 * The fill model shared by the backtest engine, the simulated venue behind the live order path
 * and the paper venue: how much of an order one bar can take (the participation limit), what
 * happens to the rest, and how far the fill price moves with the order's size (market impact).
 *
 * - Participation: an opening order fills at most `participation` × the bar's volume in that
 *   bar; the rest is carried to the following bars' opens (each again limited) or cancelled.
 *   Exits (signal, stop, target, end of run) are never split: a closing order is assumed to
 *   complete, and pays impact on its whole size.
 * - Impact, on the units filled in the bar, q, against the bar's volume V:
 *   linear: coefficient × q / V; sqrt: k × σ × √(q / V), σ the bar volatility below.
 *   Either is capped at MAX_IMPACT, and added to the fixed slippage.
 * - A bar without volume (0: forex feeds report none) has no limit and no impact.
 */
export type ImpactModel = 'linear' | 'sqrt';
export type Remainder = 'carry' | 'cancel';

export interface FillModel {
  /** linear: slippage = coefficient × units / volume, the coefficient config `costs.volume_impact` (settings `volumeImpact`). */
  impact: ImpactModel;
  /** sqrt: slippage = k × σ × √(units / volume). */
  sqrtK: number;
  /** Bars σ is measured over (the ones completed before the fill). */
  volatilityBars: number;
  /** Most of a bar's volume one order's fills may take (1: no limit). */
  participation: number;
  remainder: Remainder;
}

/** Most a single fill may slip from volume impact. */
export const MAX_IMPACT = 0.05;

/** The config's defaults (`costs.fill_model`): what a configured run fills with. */
export const DEFAULT_FILL_MODEL: FillModel = { impact: 'sqrt', sqrtK: 1, volatilityBars: 20, participation: 0.1, remainder: 'carry' };

/**
 * The model before participation limits and sqrt impact: linear, whole orders in one bar. The
 * code-level DEFAULT_SETTINGS (synthetic runs, unit tests) keep it so their hand-checked prices
 * stand; every configured run takes `costs.fill_model`.
 */
export const LEGACY_FILL_MODEL: FillModel = { ...DEFAULT_FILL_MODEL, impact: 'linear', participation: 1, remainder: 'cancel' };

const FOUR_LN2 = 4 * Math.log(2);

/** One bar's Parkinson variance: ln(high / low)² / (4 ln 2); 0 for a bar without a range. */
export function rangeVariance(high: number, low: number): number {
  if (!(high > 0 && low > 0)) return 0;
  const r = Math.log(high / low);
  return (r * r) / FOUR_LN2;
}

/**
 * σ per bar for the sqrt impact: the root mean Parkinson variance of bars [from, to) (the ones
 * completed before the fill; fewer at the start of the data, 0 with none).
 */
export function rangeSigma(high: ArrayLike<number>, low: ArrayLike<number>, from: number, to: number): number {
  const a = Math.max(0, from);
  if (to <= a) return 0;
  let sum = 0;
  for (let i = a; i < to; i++) sum += rangeVariance(high[i], low[i]);
  return Math.sqrt(sum / (to - a));
}

/** Impact fraction of a fill of `units` in a bar of `volume` at volatility `sigma` (sqrt) or with the `linear` coefficient, capped. */
export function impact(m: FillModel, linear: number, units: number, volume: number, sigma: number): number {
  if (!(volume > 0)) return 0;
  const share = Math.abs(units) / volume;
  const raw = m.impact === 'sqrt' ? m.sqrtK * sigma * Math.sqrt(share) : linear * share;
  return Math.min(raw, MAX_IMPACT);
}

/** Slippage fraction of one fill: the fixed part plus the model's impact. */
export function slippage(fixed: number, m: FillModel, linear: number, units: number, volume: number, sigma: number): number {
  return fixed + impact(m, linear, units, volume, sigma);
}

/**
 * Units (unsigned) of an opening order wanting `want` that a bar of `volume` fills, `used` units
 * of it already taken by earlier fills in the bar; cut to `decimals` like any order (floor). A
 * bar without volume takes it all.
 */
export function fillable(m: FillModel, want: number, volume: number, used: number, decimals: number): number {
  if (!(volume > 0) || m.participation >= 1) return want;
  const room = Math.max(0, m.participation * volume - used);
  if (room >= want) return want;
  const f = 10 ** decimals;
  return Math.floor(room * f) / f;
}

/** One line for every result: "sqrt impact k=1 (σ over 20 bars), participation ≤ 10 % of bar volume, remainder carried". */
export function describeFillModel(m: FillModel, linear: number): string {
  const imp = m.impact === 'sqrt' ? `sqrt impact k=${m.sqrtK} (σ: Parkinson over ${m.volatilityBars} bars)` : `linear impact ${linear} × units/volume`;
  const part = m.participation >= 1 ? 'no participation limit' : `participation ≤ ${+(m.participation * 100).toFixed(4)} % of bar volume, remainder ${m.remainder === 'carry' ? 'carried to later bars' : 'cancelled'}`;
  return `fill model: ${imp} (capped at ${MAX_IMPACT * 100} %), ${part}`;
}

// The intrabar stop / target / limit rule is core's (core/fill-rule.ts), shared with the paper venue.

/** The model of config `costs` (structurally typed: this layer does not import the config). */
export function fillModelOf(costs: { fill_model: { impact: ImpactModel; sqrt_k: number; volatility_bars: number; participation_limit: number; remainder: Remainder } }): FillModel {
  const f = costs.fill_model;
  return { impact: f.impact, sqrtK: f.sqrt_k, volatilityBars: f.volatility_bars, participation: f.participation_limit, remainder: f.remainder };
}
