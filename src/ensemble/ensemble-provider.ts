import { ACTIONS, type Action, type ProviderSignal } from '../core/decision.js';
import { runWithDeadline } from '../lib/deadline.js';
import type { AnalysisContext, DecideOptions, DecisionProvider, ProviderResult } from '../providers/port.js';
import { StaticWeights, type WeightSource } from './port.js';
import { agreementScore, decideByTiers, normalise, voteShares, type Vote } from './tiers.js';
import { excerpt } from '../core/redact.js';
import { reportFailure } from '../observability/failures.js';
import { annotateResult } from '../observability/provider-result.js';
import { span } from '../observability/span.js';

export interface EnsembleMember {
  provider: DecisionProvider;
  /** Counts toward the local quorum. */
  local: boolean;
  /** The member's own timeout; the ensemble stops waiting shortly after it. */
  timeoutMs: number;
}

export interface EnsembleSettings {
  /** Local members that must answer; fewer apply the quorum penalty. */
  minLocalProviders: number;
  /** Fraction of confidence removed when the quorum is not met (0.3: × 0.7). */
  quorumPenalty: number;
}

/** A member that ignores its own timeout still cannot hold the ensemble longer than this past it. */
export const DEADLINE_GRACE_MS = 100;

type Answer = { name: string; local: boolean; result: ProviderResult };
type Ok = Answer & { result: Extract<ProviderResult, { ok: true }> };
type Failed = Answer & { result: Extract<ProviderResult, { ok: false }> };

const round3 = (x: number) => Math.round(x * 1000) / 1000;
const roundAll = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round3(v)]));

/** Weighted mean of the supporters' hint, over those that gave one. */
function meanHint(votes: Ok[], weight: Record<string, number>, key: 'stopLossFraction' | 'takeProfitFraction' | 'sizeFraction'): number | undefined {
  const given = votes.filter((v) => v.result.signal[key] !== undefined);
  if (!given.length) return undefined;
  const w = given.map((v) => weight[v.name] || 1e-9);
  const total = w.reduce((a, b) => a + b, 0);
  return given.reduce((s, v, i) => s + (v.result.signal[key] as number) * w[i], 0) / total;
}

/**
 * `--provider ensemble`: asks every member in parallel (each under its own deadline, so the
 * ensemble takes as long as its slowest allowed member, not the sum), renormalises the weights
 * over the members that answered, and decides with four tiers: weighted vote → majority →
 * average confidence → single best. A local quorum below the minimum cuts the confidence. When
 * every member fails the result is a failure carrying the full metadata, so the engine can fall
 * back and mark the decision degraded.
 */
export class EnsembleProvider implements DecisionProvider {
  readonly kind = 'ensemble';
  readonly model = null;

  constructor(
    readonly members: readonly EnsembleMember[],
    private readonly settings: EnsembleSettings,
    private readonly weightSource: WeightSource = new StaticWeights({}),
    readonly name = 'ensemble',
  ) {}

  /** One member's answer, under its own span when traced; a failed member is reported with its code. */
  private ask(m: EnsembleMember, ctx: AnalysisContext, signal?: AbortSignal): Promise<Answer> {
    return span('ffe.provider', { 'ffe.asset_pair': ctx.pair.symbol, 'ffe.provider': m.provider.name, 'ffe.local': m.local }, async () => {
      const a = await this.askMember(m, ctx, signal);
      annotateResult(a.result);
      if (!a.result.ok) reportFailure({ kind: 'provider', code: a.result.code, error: a.result.reason, tags: { provider: a.name, asset_pair: ctx.pair.symbol } });
      return a;
    });
  }

  private async askMember(m: EnsembleMember, ctx: AnalysisContext, signal?: AbortSignal): Promise<Answer> {
    const t0 = performance.now();
    const name = m.provider.name;
    const failed = (code: 'TIMEOUT' | 'ABORTED' | 'ERROR', reason: string): Answer => ({ name, local: m.local, result: { ok: false, code, reason, latencyMs: performance.now() - t0 } });
    try {
      const out = await runWithDeadline(m.timeoutMs + DEADLINE_GRACE_MS, signal, (s) => m.provider.decide(ctx, { signal: s }));
      if (out.status === 'timeout') return failed('TIMEOUT', `no answer within ${m.timeoutMs} ms`);
      if (out.status === 'aborted') return failed('ABORTED', 'cancelled by the caller');
      return { name, local: m.local, result: out.value };
    } catch (e) {
      // Providers must not throw; one that does is a failed member, not a failed ensemble.
      return failed('ERROR', `provider threw: ${(e as Error)?.message ?? String(e)}`);
    }
  }

  private async baseWeights(names: string[], ctx: AnalysisContext): Promise<{ weights: Record<string, number>; error?: string }> {
    try {
      return { weights: await this.weightSource.weights(names, { pair: ctx.pair.symbol, regime: ctx.regime.regime }) };
    } catch (e) {
      // A broken adaptive source must not stop trading decisions: equal weights, and say so.
      return { weights: Object.fromEntries(names.map((n) => [n, 1])), error: (e as Error)?.message ?? String(e) };
    }
  }

  /** Calibrated-confidence maps from the weight source, if it offers them; a failing source leaves stated confidences (and says so). */
  private async confidenceMaps(names: string[], ctx: AnalysisContext): Promise<{ maps: Record<string, (stated: number) => number>; error?: string }> {
    if (!this.weightSource.confidences) return { maps: {} };
    try {
      return { maps: await this.weightSource.confidences(names, { pair: ctx.pair.symbol, regime: ctx.regime.regime }) };
    } catch (e) {
      return { maps: {}, error: (e as Error)?.message ?? String(e) };
    }
  }

  async decide(ctx: AnalysisContext, opts: DecideOptions = {}): Promise<ProviderResult> {
    const t0 = performance.now();
    const names = this.members.map((m) => m.provider.name);
    const [base, calibration, answers] = await Promise.all([this.baseWeights(names, ctx), this.confidenceMaps(names, ctx), Promise.all(this.members.map((m) => this.ask(m, ctx, opts.signal)))]);
    const ok = answers.filter((a): a is Ok => a.result.ok);
    const failed = answers.filter((a): a is Failed => !a.result.ok);
    const usedNames = ok.map((a) => a.name);
    const original = normalise(base.weights, names);
    const adjusted = normalise(base.weights, usedNames);
    // A calibrated member votes with its realised hit rate for that stated confidence; the stated
    // one stays in `provider_votes.confidence`, which is what the memory learns calibration from.
    const voting = (a: Ok) => {
      const map = calibration.maps[a.name];
      return map ? Math.min(100, Math.max(0, map(a.result.signal.confidence))) : a.result.signal.confidence;
    };
    const votes: Vote[] = ok.map((a) => ({ provider: a.name, action: a.result.signal.action, confidence: voting(a), weight: adjusted[a.name] }));
    const localAnswered = ok.filter((a) => a.local).length;
    const quorumMet = localAnswered >= this.settings.minLocalProviders;

    const metadata: Record<string, unknown> = {
      ensemble: true,
      providers_used: usedNames,
      providers_failed: failed.map((a) => ({ provider: a.name, code: a.result.code, reason: a.result.reason })),
      weights_source: this.weightSource.name,
      ...(base.error ? { weight_source_error: base.error } : {}),
      original_weights: roundAll(original),
      adjusted_weights: roundAll(adjusted),
      weight_adjustment_applied: failed.length > 0 && ok.length > 0,
      provider_votes: ok.map((a) => ({
        provider: a.name,
        action: a.result.signal.action,
        confidence: a.result.signal.confidence,
        ...(calibration.maps[a.name] ? { calibrated_confidence: round3(voting(a)) } : {}),
        weight: round3(adjusted[a.name]),
        local: a.local,
      })),
      ...(Object.keys(calibration.maps).length ? { confidence_source: 'calibrated' } : {}),
      ...(calibration.error ? { calibration_error: calibration.error } : {}),
      latency_ms: Object.fromEntries(answers.map((a) => [a.name, Math.round(a.result.latencyMs)])),
      tokens: Object.fromEntries(answers.filter((a) => a.result.usage).map((a) => [a.name, { prompt: a.result.usage?.promptTokens ?? null, completion: a.result.usage?.completionTokens ?? null }])),
      local_providers_answered: localAnswered,
      min_local_providers: this.settings.minLocalProviders,
      local_quorum_met: quorumMet,
    };

    if (!ok.length) {
      const reasons = failed.map((a) => `${a.name} (${a.result.code}: ${a.result.reason})`).join('; ');
      return {
        ok: false,
        code: 'ERROR',
        reason: `all ${answers.length} ensemble members failed: ${reasons || 'no members configured'}`,
        latencyMs: performance.now() - t0,
        metadata: { ...metadata, fallback_tier: null, degraded: true, quorum_penalty_applied: false },
      };
    }

    const outcome = decideByTiers(votes);
    const penalty = quorumMet ? 0 : this.settings.quorumPenalty;
    const confidence = Math.round(Math.min(100, Math.max(0, outcome.confidence * (1 - penalty))));
    const shares = voteShares(votes);
    const supporters = ok.filter((a) => a.result.signal.action === outcome.action);
    Object.assign(metadata, {
      fallback_tier: outcome.tier,
      ...(outcome.skipped.length ? { tiers_skipped: outcome.skipped } : {}),
      ...(outcome.singleProvider ? { single_provider: outcome.singleProvider } : {}),
      votes: Object.fromEntries(
        ACTIONS.map((a: Action) => [a, { count: votes.filter((v) => v.action === a).length, weighted_share: round3(shares[a]), providers: votes.filter((v) => v.action === a).map((v) => v.provider) }]),
      ),
      agreement_score: round3(agreementScore(votes)),
      original_confidence: Math.round(outcome.confidence),
      quorum_penalty_applied: penalty > 0,
      ...(penalty > 0 ? { confidence_adjustment_factor: round3(1 - penalty) } : {}),
    });

    const lead = [...supporters].sort((a, b) => b.result.signal.confidence - a.result.signal.confidence || adjusted[b.name] - adjusted[a.name])[0];
    const ballot = votes.map((v) => `${v.provider} ${v.action} ${Math.round(v.confidence)}`).join(', ');
    const failures = failed.length ? `; failed: ${failed.map((a) => `${a.name} (${a.result.code})`).join(', ')}` : '';
    const quorum = penalty > 0 ? `[WARNING: local quorum not met (${localAnswered} of ${this.settings.minLocalProviders} local providers answered); confidence ×${round3(1 - penalty)}] ` : '';
    const signal: ProviderSignal = {
      action: outcome.action,
      confidence,
      reasoning: `${quorum}Ensemble (${outcome.tier} tier, ${ok.length} of ${answers.length} providers answered) → ${outcome.action}: ${ballot}${failures}. ${lead.name}: ${excerpt(lead.result.signal.reasoning)}`,
    };
    const sl = meanHint(supporters, adjusted, 'stopLossFraction');
    const tp = meanHint(supporters, adjusted, 'takeProfitFraction');
    const size = meanHint(supporters, adjusted, 'sizeFraction');
    if (sl !== undefined) signal.stopLossFraction = sl;
    if (tp !== undefined) signal.takeProfitFraction = tp;
    if (size !== undefined) signal.sizeFraction = size;
    const usage = ok.reduce((u, a) => ({ promptTokens: u.promptTokens + (a.result.usage?.promptTokens ?? 0), completionTokens: u.completionTokens + (a.result.usage?.completionTokens ?? 0) }), {
      promptTokens: 0,
      completionTokens: 0,
    });
    return { ok: true, signal, latencyMs: performance.now() - t0, usage, metadata };
  }
}
