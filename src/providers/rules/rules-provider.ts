import type { Action, ProviderSignal } from '../../core/decision.js';
import type { Confluence, IndicatorSnapshot, RegimeInfo, TimeframePulse } from '../../core/market-analysis.js';
import type { AnalysisContext, DecisionProvider, ProviderResult } from '../port.js';

/** Entry timeframe: the finest of these with enough data, where RSI/MACD timing is read. */
const ENTRY_PREFERENCE = ['1h', '4h', '1d'] as const;

const f1 = (x: number) => x.toFixed(1);

export interface RuleVerdict {
  action: Action;
  confidence: number;
  reasons: string[];
}

/** A quiet verdict's reasons: none, and never written to (frozen, shared by every quiet verdict). */
const NO_REASONS = Object.freeze([]) as unknown as string[];

/** The first of ENTRY_PREFERENCE analysed (status ok) in `frames` (a loop: asked on every backtest bar). */
function entryFrame(frames: readonly TimeframePulse[]): TimeframePulse | undefined {
  for (const tf of ENTRY_PREFERENCE) {
    for (const f of frames) if (f.timeframe === tf && f.status === 'ok') return f;
  }
  return undefined;
}

/**
 * A no-edge HOLD's confidence comes from the pulse's signal strength, which reads every
 * timeframe's indicators: `judge` leaves NO_EDGE in its place, because a backtest asks on every
 * bar and a HOLD's confidence changes nothing there.
 */
const NO_EDGE = -1;

/**
 * The text last written for a pair of keys. The parts of a trade's reasons depend on values that
 * are never modified — the confluence, the entry frame, the regime — and a backtest on 1m bars
 * keeps each for many bars (the entry frame and the regime change hourly at most) while it writes
 * the reasons of every entry the engine considers.
 */
class LastText<A, B> {
  private a: A | undefined;
  private b: B | undefined;
  private text = '';

  get(a: A, b: B, write: (a: A, b: B) => string): string {
    if (a !== this.a || b !== this.b) {
      this.text = write(a, b);
      this.a = a;
      this.b = b;
    }
    return this.text;
  }
}

type Frame = TimeframePulse & { indicators: IndicatorSnapshot };

const confluenceText = (c: Confluence, dir: number) => `confluence ${c.direction} on ${c.agreeing.join(', ')} (${f1(dir > 0 ? c.upPercent : c.downPercent)}% of weight, strength ${c.strength})`;
const macdText = (f: Frame, dir: number) => `${f.timeframe} MACD histogram ${f.indicators.macd.histogram.toPrecision(4)} ${Math.sign(f.indicators.macd.histogram) === dir ? 'confirms' : 'disagrees'}`;
const rsiText = (f: Frame, dir: number) => {
  const i = f.indicators;
  return (dir > 0 ? i.rsi >= 70 : i.rsi <= 30) ? `${f.timeframe} RSI ${f1(i.rsi)} is ${i.rsiZone}: late entry` : `${f.timeframe} RSI ${f1(i.rsi)} ${i.rsiZone}`;
};
const regimeText = (r: RegimeInfo, dir: number) => {
  if ((dir > 0 && r.regime === 'TRENDING_UP') || (dir < 0 && r.regime === 'TRENDING_DOWN')) return `regime ${r.regime} (ADX ${f1(r.adx ?? NaN)}) agrees`;
  if ((dir > 0 && r.regime === 'TRENDING_DOWN') || (dir < 0 && r.regime === 'TRENDING_UP')) return `regime ${r.regime} opposes`;
  return `regime ${r.regime}`;
};
const CONFLUENCE_TEXT = new LastText<Confluence, number>();
const MACD_TEXT = new LastText<Frame, number>();
const RSI_TEXT = new LastText<Frame, number>();
const REGIME_TEXT = new LastText<RegimeInfo, number>();

/** Fills `out` with the verdict and returns it. */
function verdict(out: RuleVerdict, action: Action, confidence: number, reasons: string[]): RuleVerdict {
  out.action = action;
  out.confidence = confidence;
  out.reasons = reasons;
  return out;
}

/** `ruleVerdict`, with NO_EDGE as a no-edge HOLD's confidence, written into `out`. */
function judge(ctx: Pick<AnalysisContext, 'pulse' | 'regime'>, explain: boolean, out: RuleVerdict): RuleVerdict {
  const { pulse, regime } = ctx;
  const c = pulse.confluence;
  const entry = entryFrame(pulse.timeframes);
  const reasons: string[] = explain ? [] : NO_REASONS;
  if (!entry?.indicators) {
    return verdict(out, 'HOLD', 50, ['no 1h, 4h or 1d timeframe has enough data to judge']);
  }
  const frame = entry as Frame;
  const i = entry.indicators;
  const tf = entry.timeframe;

  if (c.direction !== 'MIXED') {
    const action: Action = c.direction === 'UPTREND' ? 'BUY' : 'SELL';
    const dir = action === 'BUY' ? 1 : -1;
    let conf = 50 + 0.4 * c.strength;
    conf += Math.sign(i.macd.histogram) === dir ? 8 : -8;
    const stretched = dir > 0 ? i.rsi >= 70 : i.rsi <= 30;
    if (stretched) conf -= 15;
    const regimeAgrees = (dir > 0 && regime.regime === 'TRENDING_UP') || (dir < 0 && regime.regime === 'TRENDING_DOWN');
    const regimeAgainst = (dir > 0 && regime.regime === 'TRENDING_DOWN') || (dir < 0 && regime.regime === 'TRENDING_UP');
    if (regimeAgrees) conf += 10;
    else if (regimeAgainst) conf -= 15;
    conf -= 5 * c.opposing.length;
    if (explain) {
      reasons.push(CONFLUENCE_TEXT.get(c, dir, confluenceText), MACD_TEXT.get(frame, dir, macdText), RSI_TEXT.get(frame, dir, rsiText), REGIME_TEXT.get(regime, dir, regimeText));
      if (c.opposing.length) reasons.push(`opposed by ${c.opposing.join(', ')}`);
    }
    return verdict(out, action, clamp(conf), reasons);
  }

  // Timeframes disagree: only fade extremes, and only where the market is range-bound.
  const pb = i.bollinger.percentB;
  if (explain) reasons.push(`timeframes disagree (up ${f1(c.upPercent)}%, down ${f1(c.downPercent)}%)`);
  if (regime.regime === 'RANGING' || regime.regime === 'VOLATILE') {
    if (i.rsi <= 30 && pb <= 0.05) {
      if (explain) reasons.push(`${tf} RSI ${f1(i.rsi)} oversold at %B ${pb.toFixed(2)} in a ${regime.regime} market: mean reversion up`);
      return verdict(out, 'BUY', clamp(55 + (30 - i.rsi)), reasons);
    }
    if (i.rsi >= 70 && pb >= 0.95) {
      if (explain) reasons.push(`${tf} RSI ${f1(i.rsi)} overbought at %B ${pb.toFixed(2)} in a ${regime.regime} market: mean reversion down`);
      return verdict(out, 'SELL', clamp(55 + (i.rsi - 70)), reasons);
    }
  }
  if (explain) reasons.push(`${tf} RSI ${f1(i.rsi)} ${i.rsiZone}, %B ${Number.isFinite(pb) ? pb.toFixed(2) : 'n/a'}; regime ${regime.regime}: no edge`);
  return verdict(out, 'HOLD', NO_EDGE, reasons);
}

const QUIET: RuleVerdict = { action: 'HOLD', confidence: 0, reasons: NO_REASONS };

const noEdgeConfidence = (pulse: AnalysisContext['pulse']) => clamp(60 + (50 - pulse.signalStrength) / 2);

/**
 * Deterministic rules over the pulse: trade with multi-timeframe confluence, confirm timing on
 * the entry timeframe (MACD histogram, RSI zone), respect the regime, and fade Bollinger/RSI
 * extremes only in ranging markets. Pure: the same pulse always gives the same verdict.
 * `explain: false` skips formatting the reasons (backtests ask on every bar and read few).
 */
export function ruleVerdict(ctx: Pick<AnalysisContext, 'pulse' | 'regime'>, explain = true): RuleVerdict {
  const v = judge(ctx, explain, { action: 'HOLD', confidence: 0, reasons: NO_REASONS });
  if (v.confidence === NO_EDGE) v.confidence = noEdgeConfidence(ctx.pulse);
  return v;
}

const clamp = (x: number) => Math.round(Math.min(95, Math.max(5, x)));

type Judged = Pick<AnalysisContext, 'pulse' | 'regime'>;

/**
 * The reasoning last written and what it was written from. Every part of it is a function of the
 * confluence, the entry frame and the regime (values never modified, so compared by identity) and
 * of the action and confidence; a backtest on 1m bars keeps all of them for many bars and writes
 * the reasoning of every entry the engine considers (tens of thousands are refused).
 */
const lastReasoning = { confluence: null as Confluence | null, frame: undefined as TimeframePulse | undefined, regime: null as RegimeInfo | null, action: '', confidence: NaN, text: '' };

function reasoningOf(pulse: Judged['pulse'], regime: Judged['regime'], action: Action, confidence: number): string {
  const frame = entryFrame(pulse.timeframes);
  const l = lastReasoning;
  if (l.confluence !== pulse.confluence || l.frame !== frame || l.regime !== regime || l.action !== action || l.confidence !== confidence) {
    l.text = `${ruleVerdict({ pulse, regime }).reasons.join('; ')} → ${action} at ${confidence}%.`;
    l.confluence = pulse.confluence;
    l.frame = frame;
    l.regime = regime;
    l.action = action;
    l.confidence = confidence;
  }
  return l.text;
}

/**
 * The rules answer with its reasoning written on first read, from the same verdict function in
 * explaining mode; `toJSON` keeps it in every stored or printed record. It keeps the pulse and
 * regime it was judged on, not the context (a backtest may reuse its context object).
 */
class RulesSignal implements ProviderSignal {
  constructor(
    readonly action: Action,
    confidence: number,
    ctx: Judged,
  ) {
    this.#confidence = confidence;
    this.#pulse = ctx.pulse;
    this.#regime = ctx.regime;
  }

  #confidence: number;
  readonly #pulse: Judged['pulse'];
  readonly #regime: Judged['regime'];

  /** Read on first use when it is a no-edge HOLD's (a backtest never reads a HOLD's). */
  get confidence(): number {
    if (this.#confidence === NO_EDGE) this.#confidence = noEdgeConfidence(this.#pulse);
    return this.#confidence;
  }

  get reasoning(): string {
    return reasoningOf(this.#pulse, this.#regime, this.action, this.confidence);
  }

  toJSON(): ProviderSignal {
    return { action: this.action, confidence: this.confidence, reasoning: this.reasoning };
  }
}

export class RulesProvider implements DecisionProvider {
  readonly kind = 'rules';
  readonly model = null;

  constructor(readonly name = 'rules') {}

  async decide(ctx: AnalysisContext): Promise<ProviderResult> {
    const t0 = performance.now();
    const r = this.decideNow(ctx);
    r.latencyMs = performance.now() - t0;
    return r;
  }

  /**
   * The answer without a promise: pure and local, so a backtest asks it on every bar directly.
   * Untimed (latency 0): it takes microseconds, and two clock reads per bar were 1.5 % of a rules
   * backtest; `decide`, the live call, times it.
   */
  decideNow(ctx: AnalysisContext): ProviderResult {
    // The quiet verdict is read here and dropped: one scratch record serves every call.
    const v = judge(ctx, false, QUIET);
    return { ok: true, signal: new RulesSignal(v.action, v.confidence, ctx), latencyMs: 0 };
  }
}
