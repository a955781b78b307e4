import { describe, expect, it } from 'vitest';
import { fakeContext } from '../../test/fakes/analysis-context.js';
import type { Action } from '../core/decision.js';
import type { DecisionProvider, ProviderResult } from '../providers/port.js';
import { EnsembleProvider, type EnsembleMember } from './ensemble-provider.js';
import { StaticWeights, type WeightSource } from './port.js';

/** A member that answers after `delayMs`; `ignoresSignal` makes it keep going past its timeout. */
function member(
  name: string,
  answer: { action: Action; confidence: number } | { fail: string },
  o: { delayMs?: number; local?: boolean; timeoutMs?: number; ignoresSignal?: boolean } = {},
): EnsembleMember & { seen: AbortSignal[] } {
  const seen: AbortSignal[] = [];
  const provider: DecisionProvider = {
    name,
    kind: 'fake',
    model: null,
    decide: (_ctx, opts) =>
      new Promise<ProviderResult>((resolve) => {
        if (opts?.signal) seen.push(opts.signal);
        const t = setTimeout(() => {
          if ('fail' in answer) resolve({ ok: false, code: 'INVALID_OUTPUT', reason: answer.fail, latencyMs: o.delayMs ?? 0 });
          else resolve({ ok: true, signal: { ...answer, reasoning: `${name} says ${answer.action}` }, latencyMs: o.delayMs ?? 0, usage: { promptTokens: 100, completionTokens: 20 } });
        }, o.delayMs ?? 0);
        if (!o.ignoresSignal) opts?.signal?.addEventListener('abort', () => clearTimeout(t));
      }),
  };
  return { provider, local: o.local ?? true, timeoutMs: o.timeoutMs ?? 5000, seen };
}

const settings = { minLocalProviders: 3, quorumPenalty: 0.3 };
const okOf = (r: ProviderResult) => {
  if (!r.ok) throw new Error(`ensemble failed: ${r.reason}`);
  return r;
};

describe('EnsembleProvider', () => {
  it('renormalises weights over the providers that answered (four at 0.25, one failure → 1/3 each) and reports it', async () => {
    const e = new EnsembleProvider(
      [member('a', { action: 'BUY', confidence: 80 }), member('b', { action: 'BUY', confidence: 70 }), member('c', { action: 'SELL', confidence: 60 }), member('d', { fail: 'no JSON object in the answer' })],
      settings,
      new StaticWeights({ a: 0.25, b: 0.25, c: 0.25, d: 0.25 }),
    );
    const r = okOf(await e.decide(fakeContext()));
    const m = r.metadata!;
    expect(m.providers_used).toEqual(['a', 'b', 'c']);
    expect(m.providers_failed).toEqual([{ provider: 'd', code: 'INVALID_OUTPUT', reason: 'no JSON object in the answer' }]);
    expect(m.weight_adjustment_applied).toBe(true);
    expect(m.original_weights).toEqual({ a: 0.25, b: 0.25, c: 0.25, d: 0.25 });
    expect(m.adjusted_weights).toEqual({ a: 0.333, b: 0.333, c: 0.333 });
    expect(m.fallback_tier).toBe('weighted');
    expect(m.votes).toEqual({
      BUY: { count: 2, weighted_share: 0.714, providers: ['a', 'b'] },
      SELL: { count: 1, weighted_share: 0.286, providers: ['c'] },
      HOLD: { count: 0, weighted_share: 0, providers: [] },
    });
    expect(m.provider_votes).toEqual([
      { provider: 'a', action: 'BUY', confidence: 80, weight: 0.333, local: true },
      { provider: 'b', action: 'BUY', confidence: 70, weight: 0.333, local: true },
      { provider: 'c', action: 'SELL', confidence: 60, weight: 0.333, local: true },
    ]);
    expect(m.agreement_score).toBe(0.667);
    expect(m.quorum_penalty_applied).toBe(false);
    expect(Object.keys(m.latency_ms as object)).toEqual(['a', 'b', 'c', 'd']);
    expect(m.tokens).toMatchObject({ a: { prompt: 100, completion: 20 } });
    expect(m.weights_source).toBe('config');
    // 75 (supporters mean) × (0.6 + 0.4 × 0.714) = 66.4
    expect(r.signal).toMatchObject({ action: 'BUY', confidence: 66 });
    expect(r.signal.reasoning).toBe('Ensemble (weighted tier, 3 of 4 providers answered) → BUY: a BUY 80, b BUY 70, c SELL 60; failed: d (INVALID_OUTPUT). a: a says BUY');
  });

  it('applies the 30 % quorum penalty when fewer local providers answer than required', async () => {
    const e = new EnsembleProvider([member('local1', { action: 'SELL', confidence: 80 }), member('cloud', { action: 'SELL', confidence: 80 }, { local: false })], settings);
    const r = okOf(await e.decide(fakeContext()));
    expect(r.signal.confidence).toBe(56);
    expect(r.metadata).toMatchObject({ quorum_penalty_applied: true, original_confidence: 80, confidence_adjustment_factor: 0.7, local_providers_answered: 1, min_local_providers: 3, local_quorum_met: false });
    expect(r.signal.reasoning).toMatch(/^\[WARNING: local quorum not met \(1 of 3 local providers answered\); confidence ×0\.7\]/);
    const met = okOf(await new EnsembleProvider([member('l1', { action: 'SELL', confidence: 80 })], { minLocalProviders: 1, quorumPenalty: 0.3 }).decide(fakeContext()));
    expect(met.signal.confidence).toBe(80);
    expect(met.metadata).toMatchObject({ quorum_penalty_applied: false, fallback_tier: 'single_provider', single_provider: 'l1' });
  });

  it('a 10 s member with a 1 s timeout does not delay the ensemble past ~1 s, even if it ignores its signal', async () => {
    const e = new EnsembleProvider(
      [
        member('fast', { action: 'BUY', confidence: 70 }, { delayMs: 50 }),
        member('stuck', { action: 'SELL', confidence: 99 }, { delayMs: 10_000, timeoutMs: 1000, ignoresSignal: true }),
        member('ok', { action: 'BUY', confidence: 65 }, { delayMs: 100 }),
      ],
      settings,
    );
    const t0 = performance.now();
    const r = okOf(await e.decide(fakeContext()));
    const ms = performance.now() - t0;
    expect(ms).toBeGreaterThanOrEqual(990);
    expect(ms).toBeLessThan(1400);
    expect(r.metadata!.providers_failed).toEqual([{ provider: 'stuck', code: 'TIMEOUT', reason: 'no answer within 1000 ms' }]);
    expect(r.signal.action).toBe('BUY');
  });

  it('runs members in parallel: wall time is the slowest member, not the sum', async () => {
    const e = new EnsembleProvider(
      [200, 300, 400].map((d, i) => member(`m${i}`, { action: 'HOLD', confidence: 60 }, { delayMs: d })),
      settings,
    );
    const t0 = performance.now();
    await e.decide(fakeContext());
    expect(performance.now() - t0).toBeLessThan(650);
  });

  it('when every member fails: a failure with the reasons and the metadata, marked degraded', async () => {
    const e = new EnsembleProvider([member('a', { fail: 'garbage' }), member('b', { fail: 'more garbage' })], settings);
    const r = await e.decide(fakeContext());
    expect(r).toMatchObject({ ok: false, code: 'ERROR', reason: 'all 2 ensemble members failed: a (INVALID_OUTPUT: garbage); b (INVALID_OUTPUT: more garbage)' });
    expect(r.metadata).toMatchObject({ degraded: true, providers_used: [], fallback_tier: null, providers_failed: [{ provider: 'a' }, { provider: 'b' }] });
  });

  it('takes weights from the WeightSource port with the pair and regime, and survives a broken source', async () => {
    const asked: unknown[] = [];
    const adaptive: WeightSource = {
      name: 'adaptive',
      weights: async (names, ctx) => {
        asked.push({ names, ctx });
        return { a: 0.9, b: 0.1 };
      },
    };
    const members = () => [member('a', { action: 'SELL', confidence: 60 }), member('b', { action: 'BUY', confidence: 90 })];
    const r = okOf(await new EnsembleProvider(members(), settings, adaptive).decide(fakeContext()));
    expect(asked).toEqual([{ names: ['a', 'b'], ctx: { pair: 'BTCUSD', regime: 'TRENDING_UP' } }]);
    expect(r.signal.action).toBe('SELL');
    expect(r.metadata).toMatchObject({ weights_source: 'adaptive', adjusted_weights: { a: 0.9, b: 0.1 } });
    const broken: WeightSource = { name: 'adaptive', weights: async () => Promise.reject(new Error('memory store offline')) };
    const r2 = okOf(await new EnsembleProvider(members(), settings, broken).decide(fakeContext()));
    expect(r2.metadata).toMatchObject({ weight_source_error: 'memory store offline', adjusted_weights: { a: 0.5, b: 0.5 } });
    expect(r2.signal.action).toBe('BUY');
  });

  it('votes with calibrated confidence where the source offers it, keeping the stated one in provider_votes', async () => {
    // Equal weights: stated a SELL 60 vs b BUY 90 → BUY; b calibrated to 40 (its 90s were right 40 % of the time) → SELL.
    const calibrated: WeightSource = { name: 'adaptive', weights: async () => ({ a: 1, b: 1 }), confidences: async () => ({ b: () => 40 }) };
    const members = () => [member('a', { action: 'SELL', confidence: 60 }), member('b', { action: 'BUY', confidence: 90 })];
    const r = okOf(await new EnsembleProvider(members(), settings, calibrated).decide(fakeContext()));
    expect(r.signal.action).toBe('SELL');
    expect(r.metadata).toMatchObject({
      confidence_source: 'calibrated',
      provider_votes: [
        { provider: 'a', confidence: 60 },
        { provider: 'b', confidence: 90, calibrated_confidence: 40 },
      ],
    });
    expect((r.metadata!.provider_votes as Record<string, unknown>[])[0]).not.toHaveProperty('calibrated_confidence');
    const broken: WeightSource = { name: 'adaptive', weights: async () => ({ a: 1, b: 1 }), confidences: async () => Promise.reject(new Error('memory store offline')) };
    const r2 = okOf(await new EnsembleProvider(members(), settings, broken).decide(fakeContext()));
    expect(r2.signal.action).toBe('BUY');
    expect(r2.metadata).toMatchObject({ calibration_error: 'memory store offline' });
  });

  it('passes an abort through to every member', async () => {
    const ms = [member('a', { action: 'BUY', confidence: 70 }, { delayMs: 5000 }), member('b', { action: 'BUY', confidence: 70 }, { delayMs: 5000 })];
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 50);
    const r = await new EnsembleProvider(ms, settings).decide(fakeContext(), { signal: ctl.signal });
    expect(r).toMatchObject({ ok: false });
    expect(ms.every((m) => m.seen[0]?.aborted)).toBe(true);
  });

  it('averages the supporters stop-loss hints by weight', async () => {
    const withHint = (name: string, sl: number): EnsembleMember => ({
      provider: { name, kind: 'fake', model: null, decide: async () => ({ ok: true, signal: { action: 'BUY', confidence: 70, reasoning: 'r', stopLossFraction: sl }, latencyMs: 1 }) },
      local: true,
      timeoutMs: 1000,
    });
    const r = okOf(await new EnsembleProvider([withHint('a', 0.02), withHint('b', 0.04)], settings, new StaticWeights({ a: 3, b: 1 })).decide(fakeContext()));
    expect(r.signal.stopLossFraction).toBeCloseTo(0.025);
  });
});
