import { describe, expect, it } from 'vitest';
import { buildPulse } from '../../analysis/pulse.js';
import { classifyRegime } from '../../analysis/regime.js';
import { TIMEFRAMES } from '../../core/timeframe.js';
import { BundledMarketData } from '../../data/bundled/adapter.js';
import type { AnalysisContext } from '../port.js';
import { RulesProvider, ruleVerdict } from './rules-provider.js';

async function contextAt(pair: string, asOf?: number): Promise<Pick<AnalysisContext, 'pulse' | 'regime'>> {
  const data = new BundledMarketData();
  const t = asOf ?? (await data.sampleInfo(pair)).asOf;
  const inputs = Object.fromEntries(
    await Promise.all(
      TIMEFRAMES.map(async (tf) => {
        try {
          return [tf, { candles: await data.candles({ pair, timeframe: tf, end: t }) }];
        } catch (e) {
          return [tf, { unavailable: (e as Error).message }];
        }
      }),
    ),
  );
  const pulse = buildPulse(pair, t, inputs);
  return { pulse, regime: classifyRegime(pulse.timeframes) };
}

describe('rules provider', () => {
  it('is deterministic and cites the numbers it used', async () => {
    const ctx = await contextAt('ETHUSD');
    const a = await new RulesProvider().decide(ctx as AnalysisContext);
    const b = await new RulesProvider().decide(ctx as AnalysisContext);
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect([a.signal.action, a.signal.confidence, a.signal.reasoning]).toEqual([b.signal.action, b.signal.confidence, b.signal.reasoning]);
    const entry = ctx.pulse.timeframes.find((f) => f.timeframe === '1h')!.indicators!;
    expect(a.signal.reasoning).toContain(`1h RSI ${entry.rsi.toFixed(1)}`);
    expect(a.signal.reasoning).toMatch(new RegExp(`→ ${a.signal.action} at ${a.signal.confidence}%\\.$`));
  });

  it('decides the same with or without writing its reasons, and the written reasons survive JSON', async () => {
    for (const t of [Date.parse('2024-03-10T00:00:00Z'), Date.parse('2024-07-01T12:00:00Z'), Date.parse('2024-11-20T06:00:00Z')]) {
      const ctx = await contextAt('ETHUSD', t);
      const quiet = ruleVerdict(ctx, false);
      const loud = ruleVerdict(ctx, true);
      expect([quiet.action, quiet.confidence]).toEqual([loud.action, loud.confidence]);
      expect(quiet.reasons).toEqual([]);
      expect(loud.reasons.length).toBeGreaterThan(1);
      const r = await new RulesProvider().decide(ctx as AnalysisContext);
      if (!r.ok) throw new Error('rules failed');
      expect(JSON.parse(JSON.stringify(r.signal))).toEqual({ action: loud.action, confidence: loud.confidence, reasoning: `${loud.reasons.join('; ')} → ${loud.action} at ${loud.confidence}%.` });
      const regime = JSON.parse(JSON.stringify(ctx.regime));
      expect(regime.reason).toBe(ctx.regime.reason);
      expect(regime.reason).toMatch(/ADX \d+\.\d/);
      expect(Object.keys(ctx.regime).sort()).toEqual(['adx', 'atrFraction', 'regime', 'timeframe']);
    }
  });

  it('a no-edge HOLD answered without a promise carries the same confidence as the verdict (written on first read)', async () => {
    let holds = 0;
    for (let d = 0; d < 60 && holds < 2; d += 3) {
      const ctx = await contextAt('ETHUSD', Date.parse('2024-03-01T00:00:00Z') + d * 86_400_000);
      const v = ruleVerdict(ctx);
      if (v.action !== 'HOLD' || !v.reasons.at(-1)?.endsWith('no edge')) continue;
      holds++;
      const r = new RulesProvider().decideNow(ctx as AnalysisContext);
      if (!r.ok) throw new Error('rules failed');
      expect([r.signal.action, r.signal.confidence, r.latencyMs]).toEqual(['HOLD', v.confidence, 0]);
    }
    expect(holds).toBe(2);
  });

  it('writes each answer its own reasoning when answers on different pulses are read in turn', async () => {
    const ctxs = await Promise.all([Date.parse('2024-03-10T00:00:00Z'), Date.parse('2024-07-01T12:00:00Z')].map((t) => contextAt('ETHUSD', t)));
    const signals = ctxs.map((ctx) => {
      const r = new RulesProvider().decideNow(ctx as AnalysisContext);
      if (!r.ok) throw new Error('rules failed');
      return r.signal;
    });
    const expected = ctxs.map((ctx) => {
      const v = ruleVerdict(ctx);
      return `${v.reasons.join('; ')} → ${v.action} at ${v.confidence}%.`;
    });
    expect(expected[0]).not.toBe(expected[1]);
    for (const k of [0, 1, 0, 1]) expect(signals[k].reasoning).toBe(expected[k]);
  });
});
