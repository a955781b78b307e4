import { FUNDAMENTAL_FEATURE_NAMES, fundamentalFeatures } from '../../analysis/fundamentals.js';
import type { FundamentalsSection } from '../../core/fundamentals.js';
import type { IndicatorSnapshot, MarketRegime, TimeframePulse } from '../../core/market-analysis.js';
import { TIMEFRAMES, type Timeframe } from '../../core/timeframe.js';
import type { AnalysisContext } from '../port.js';

/** What the features are read from: the pulse and regime a provider is given at decision time, and nothing later. */
export type FeatureInput = Pick<AnalysisContext, 'pulse' | 'regime'>;

/**
 * An optional numeric feature (e.g. a stock's fundamentals, when the pulse carries them): null
 * when the context has none. Every base feature is scale-free (ratios, oscillators), so one model
 * can be trained over pairs of very different prices.
 */
export interface OptionalFeature {
  name: string;
  read(ctx: FeatureInput): number | null;
}

// One section's numbers, computed once however many of its features are read.
const fundamentalsCache = new WeakMap<FundamentalsSection, Record<string, number>>();
function fundamentalValue(ctx: FeatureInput, name: string): number | null {
  const section = ctx.pulse.fundamentals;
  if (!section) return null;
  let values = fundamentalsCache.get(section);
  if (!values) fundamentalsCache.set(section, (values = fundamentalFeatures(section)));
  const v = values[name];
  return Number.isFinite(v) ? v : null;
}

/**
 * Optional features, appended to the list after the base ones: a stock's fundamentals as the
 * pulse shows them at decision time (point in time: src/analysis/fundamentals.ts), with a flag for
 * whether there are any (crypto, forex and stocks without stored reports: 0). A model records the
 * list it was trained with; adding one here changes the list of new models and makes older ones
 * fail the feature check (retrain), never silently shift columns.
 */
export const OPTIONAL_FEATURES: readonly OptionalFeature[] = [
  { name: 'fund_present', read: (ctx) => (ctx.pulse.fundamentals ? 1 : null) },
  ...FUNDAMENTAL_FEATURE_NAMES.map((name) => ({ name, read: (ctx: FeatureInput) => fundamentalValue(ctx, name) })),
];

const PER_FRAME = ['ok', 'rsi', 'macd_hist', 'adx', 'di_spread', 'pct_b', 'bandwidth', 'atr_frac', 'close_sma20', 'close_sma50', 'sma20_sma50', 'trend', 'strength'] as const;
const REGIMES: readonly MarketRegime[] = ['TRENDING_UP', 'TRENDING_DOWN', 'RANGING', 'VOLATILE', 'UNKNOWN'];
const GLOBAL = ['confluence_up', 'confluence_down', 'signal_strength', ...REGIMES.map((r) => `regime_${r}`)];

/** How many timeframes, from the model's own upward, the features read (1h → 1h, 4h, 1d). */
const FRAMES_READ = 3;

/** The timeframes a model on `tf` reads: its own and the next coarser ones. */
export function featureFrames(tf: Timeframe): Timeframe[] {
  const k = TIMEFRAMES.indexOf(tf);
  return TIMEFRAMES.slice(k, k + FRAMES_READ);
}

/** The feature list of a model on `tf`, in column order. */
export function featureNames(tf: Timeframe, optional: readonly OptionalFeature[] = OPTIONAL_FEATURES): string[] {
  return [...featureFrames(tf).flatMap((f) => PER_FRAME.map((n) => `${f}.${n}`)), ...GLOBAL, ...optional.map((o) => o.name)];
}

const ratio = (a: number, b: number) => (b !== 0 ? a / b - 1 : 0);
const trendCode = (t: TimeframePulse['trend']) => (t === 'UPTREND' ? 1 : t === 'DOWNTREND' ? -1 : 0);

function frameFeatures(f: TimeframePulse | undefined, out: Record<string, number>, tf: Timeframe): void {
  const i: IndicatorSnapshot | null | undefined = f?.status === 'ok' ? f.indicators : null;
  if (!i) {
    out[`${tf}.ok`] = 0;
    return;
  }
  out[`${tf}.ok`] = 1;
  out[`${tf}.rsi`] = i.rsi / 100;
  out[`${tf}.macd_hist`] = i.close ? i.macd.histogram / i.close : 0;
  out[`${tf}.adx`] = i.adx.adx / 100;
  out[`${tf}.di_spread`] = (i.adx.plusDI - i.adx.minusDI) / 100;
  out[`${tf}.pct_b`] = i.bollinger.percentB;
  out[`${tf}.bandwidth`] = i.bollinger.bandwidth;
  out[`${tf}.atr_frac`] = i.atrFraction;
  out[`${tf}.close_sma20`] = ratio(i.close, i.sma20);
  out[`${tf}.close_sma50`] = ratio(i.close, i.sma50);
  out[`${tf}.sma20_sma50`] = ratio(i.sma20, i.sma50);
  out[`${tf}.trend`] = trendCode(f!.trend);
  out[`${tf}.strength`] = (f!.strength ?? 0) / 100;
}

/** Every feature this context has a value for, by name (absent: not available at decision time). */
export function featureRecord(ctx: FeatureInput, tf: Timeframe, optional: readonly OptionalFeature[] = OPTIONAL_FEATURES): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of featureFrames(tf)) {
    frameFeatures(
      ctx.pulse.timeframes.find((x) => x.timeframe === f),
      out,
      f,
    );
  }
  out.confluence_up = ctx.pulse.confluence.upPercent / 100;
  out.confluence_down = ctx.pulse.confluence.downPercent / 100;
  out.signal_strength = ctx.pulse.signalStrength / 100;
  for (const r of REGIMES) out[`regime_${r}`] = ctx.regime.regime === r ? 1 : 0;
  for (const o of optional) {
    const v = o.read(ctx);
    if (v !== null) out[o.name] = v;
  }
  return out;
}

/**
 * The model's input row: `names` in order, a missing or non-finite value as 0. The `<tf>.ok`
 * flags and the scale-free encoding make 0 a neutral value the trees can split away from.
 */
export function featureVector(names: readonly string[], rec: Record<string, number>): number[] {
  return names.map((n) => {
    const v = rec[n];
    return v !== undefined && Number.isFinite(v) ? v : 0;
  });
}

/** The row of `ctx` for a model on `tf` with feature list `names`. */
export const featuresOf = (ctx: FeatureInput, tf: Timeframe, names: readonly string[]): number[] => featureVector(names, featureRecord(ctx, tf));
