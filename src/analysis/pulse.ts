import type { Candle } from '../core/candle.js';
import type { Confluence, Pulse, RegimeInfo, TimeframePulse } from '../core/market-analysis.js';
import { TIMEFRAMES, type Timeframe } from '../core/timeframe.js';
import { confluence, TIMEFRAME_WEIGHTS } from './confluence.js';
import { timeframePulse } from './timeframe-pulse.js';

/** Per timeframe: closed candles, or why there are none. */
export type TimeframeInput = { candles: readonly Candle[] } | { unavailable: string };

/**
 * How loud the indicators are, 0–100: the weighted mean over analysed timeframes of RSI
 * distance from 50, %B distance from the mid-band, and ADX, blended with confluence strength.
 */
export function signalStrength(frames: readonly TimeframePulse[], confluenceStrength: number): number {
  let total = 0;
  let acc = 0;
  for (const f of frames) {
    const ind = f.indicators;
    if (!ind) continue;
    const w = TIMEFRAME_WEIGHTS[f.timeframe];
    const rsiPart = Math.min(1, Math.abs(ind.rsi - 50) / 30);
    const bandPart = Number.isFinite(ind.bollinger.percentB) ? Math.min(1, Math.abs(ind.bollinger.percentB - 0.5) * 2) : 0;
    const adxPart = Math.min(1, ind.adx.adx / 50);
    acc += w * ((rsiPart + bandPart + adxPart) / 3);
    total += w;
  }
  if (total === 0) return 0;
  return Math.round(0.5 * ((100 * acc) / total) + 0.5 * confluenceStrength);
}

const fmt = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

function priceDigits(price: number): number {
  return price >= 1000 ? 1 : price >= 10 ? 2 : 5;
}

function describeFrame(f: TimeframePulse): string {
  if (f.status !== 'ok' || !f.indicators) return `${f.timeframe}: ${f.status} (${f.note})`;
  const i = f.indicators;
  const d = priceDigits(i.close);
  return (
    `${f.timeframe}: ${f.trend} (strength ${f.strength}); RSI ${fmt(i.rsi, 1)} ${i.rsiZone}; ` +
    `MACD ${fmt(i.macd.macd, d)}/${fmt(i.macd.signal, d)} hist ${fmt(i.macd.histogram, d)}; ` +
    `%B ${fmt(i.bollinger.percentB)}; ADX ${fmt(i.adx.adx, 1)}${i.adx.strongTrend ? ' strong' : ''} (+DI ${fmt(i.adx.plusDI, 1)} −DI ${fmt(i.adx.minusDI, 1)}); ` +
    `ATR ${fmt(i.atr, d)} (${fmt(i.atrFraction * 100)}%)`
  );
}

export function buildPulse(pair: string, asOf: number, inputs: Partial<Record<Timeframe, TimeframeInput>>): Pulse {
  const frames = TIMEFRAMES.map((tf) => {
    const inp = inputs[tf];
    if (!inp) return timeframePulse(tf, null, 'not requested');
    return 'candles' in inp ? timeframePulse(tf, inp.candles) : timeframePulse(tf, null, inp.unavailable);
  });
  return pulseFromFrames(pair, asOf, frames);
}

/** The pulse of already computed frames (the backtester computes them incrementally). */
export function pulseFromFrames(pair: string, asOf: number, frames: TimeframePulse[]): Pulse {
  const c = confluence(frames);
  const strength = signalStrength(frames, c.strength);
  return { pair, asOf, timeframes: frames, confluence: c, signalStrength: strength, description: describePulse(pair, asOf, frames, c, strength) };
}

/** The pulse's text for LLM prompts. */
export function describePulse(pair: string, asOf: number, frames: readonly TimeframePulse[], c: Confluence, strength: number): string {
  const head =
    c.direction === 'MIXED'
      ? `Timeframes disagree (up ${c.upPercent}% / down ${c.downPercent}% of weight; ranging: ${c.ranging.join(', ') || 'none'}).`
      : `Confluence ${c.direction} on ${c.agreeing.join(', ')} (${c.direction === 'UPTREND' ? c.upPercent : c.downPercent}% of weight, strength ${c.strength})` +
        `${c.opposing.length ? `; against: ${c.opposing.join(', ')}` : ''}.`;
  return [`${pair} as of ${new Date(asOf).toISOString()}. ${head} Signal strength ${strength}/100.`, ...frames.map(describeFrame)].join('\n');
}

export const describeRegime = (r: RegimeInfo): string => `Regime ${r.regime}${r.reason ? ` (${r.reason})` : ''}.`;
