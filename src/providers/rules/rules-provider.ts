import type { Action } from '../../core/decision.js';
import type { TimeframePulse } from '../../core/market-analysis.js';
import type { AnalysisContext, DecisionProvider, ProviderResult } from '../port.js';

/** Entry timeframe: the finest of these with enough data, where RSI/MACD timing is read. */
const ENTRY_PREFERENCE = ['1h', '4h', '1d'] as const;

const f1 = (x: number) => x.toFixed(1);

export interface RuleVerdict {
  action: Action;
  confidence: number;
  reasons: string[];
}

/**
 * Deterministic rules over the pulse: trade with multi-timeframe confluence, confirm timing on
 * the entry timeframe (MACD histogram, RSI zone), respect the regime, and fade Bollinger/RSI
 * extremes only in ranging markets. Pure: the same pulse always gives the same verdict.
 */
export function ruleVerdict(ctx: Pick<AnalysisContext, 'pulse' | 'regime'>): RuleVerdict {
  const { pulse, regime } = ctx;
  const c = pulse.confluence;
  const entry: TimeframePulse | undefined = ENTRY_PREFERENCE.map((tf) => pulse.timeframes.find((f) => f.timeframe === tf && f.status === 'ok')).find(Boolean);
  const reasons: string[] = [];
  if (!entry?.indicators) {
    return { action: 'HOLD', confidence: 50, reasons: ['no 1h, 4h or 1d timeframe has enough data to judge'] };
  }
  const i = entry.indicators;
  const tf = entry.timeframe;

  if (c.direction !== 'MIXED') {
    const action: Action = c.direction === 'UPTREND' ? 'BUY' : 'SELL';
    const dir = action === 'BUY' ? 1 : -1;
    let conf = 50 + 0.4 * c.strength;
    reasons.push(`confluence ${c.direction} on ${c.agreeing.join(', ')} (${f1(dir > 0 ? c.upPercent : c.downPercent)}% of weight, strength ${c.strength})`);
    if (Math.sign(i.macd.histogram) === dir) {
      conf += 8;
      reasons.push(`${tf} MACD histogram ${i.macd.histogram.toPrecision(4)} confirms`);
    } else {
      conf -= 8;
      reasons.push(`${tf} MACD histogram ${i.macd.histogram.toPrecision(4)} disagrees`);
    }
    const stretched = dir > 0 ? i.rsi >= 70 : i.rsi <= 30;
    if (stretched) {
      conf -= 15;
      reasons.push(`${tf} RSI ${f1(i.rsi)} is ${i.rsiZone}: late entry`);
    } else {
      reasons.push(`${tf} RSI ${f1(i.rsi)} ${i.rsiZone}`);
    }
    const regimeAgrees = (dir > 0 && regime.regime === 'TRENDING_UP') || (dir < 0 && regime.regime === 'TRENDING_DOWN');
    const regimeAgainst = (dir > 0 && regime.regime === 'TRENDING_DOWN') || (dir < 0 && regime.regime === 'TRENDING_UP');
    if (regimeAgrees) {
      conf += 10;
      reasons.push(`regime ${regime.regime} (ADX ${f1(regime.adx ?? NaN)}) agrees`);
    } else if (regimeAgainst) {
      conf -= 15;
      reasons.push(`regime ${regime.regime} opposes`);
    } else {
      reasons.push(`regime ${regime.regime}`);
    }
    if (c.opposing.length) {
      conf -= 5 * c.opposing.length;
      reasons.push(`opposed by ${c.opposing.join(', ')}`);
    }
    return { action, confidence: clamp(conf), reasons };
  }

  // Timeframes disagree: only fade extremes, and only where the market is range-bound.
  const pb = i.bollinger.percentB;
  reasons.push(`timeframes disagree (up ${f1(c.upPercent)}%, down ${f1(c.downPercent)}%)`);
  if (regime.regime === 'RANGING' || regime.regime === 'VOLATILE') {
    if (i.rsi <= 30 && pb <= 0.05) {
      reasons.push(`${tf} RSI ${f1(i.rsi)} oversold at %B ${pb.toFixed(2)} in a ${regime.regime} market: mean reversion up`);
      return { action: 'BUY', confidence: clamp(55 + (30 - i.rsi)), reasons };
    }
    if (i.rsi >= 70 && pb >= 0.95) {
      reasons.push(`${tf} RSI ${f1(i.rsi)} overbought at %B ${pb.toFixed(2)} in a ${regime.regime} market: mean reversion down`);
      return { action: 'SELL', confidence: clamp(55 + (i.rsi - 70)), reasons };
    }
  }
  reasons.push(`${tf} RSI ${f1(i.rsi)} ${i.rsiZone}, %B ${Number.isFinite(pb) ? pb.toFixed(2) : 'n/a'}; regime ${regime.regime}: no edge`);
  return { action: 'HOLD', confidence: clamp(60 + (50 - pulse.signalStrength) / 2), reasons };
}

const clamp = (x: number) => Math.round(Math.min(95, Math.max(5, x)));

export class RulesProvider implements DecisionProvider {
  readonly kind = 'rules';
  readonly model = null;

  constructor(readonly name = 'rules') {}

  async decide(ctx: AnalysisContext): Promise<ProviderResult> {
    const t0 = performance.now();
    const v = ruleVerdict(ctx);
    return {
      ok: true,
      signal: { action: v.action, confidence: v.confidence, reasoning: `${v.reasons.join('; ')} → ${v.action} at ${v.confidence}%.` },
      latencyMs: performance.now() - t0,
    };
  }
}
