import { voteReturn } from './outcome.js';
import { NO_RECOMMENDATIONS, type RecommendationEvidence } from './recommendation-samples.js';
import { describeGate, hitRateGate, type GateResult } from './sequential-test.js';
import type { TradeOutcome } from './types.js';

export interface WeightParams {
  /**
   * Error rate of the sequential gate (sequential-test.ts): a provider no worse than a coin is
   * ever demoted, or one no better ever promoted, with probability at most this.
   */
  gateAlpha: number;
  /** Pseudo-votes at break-even that pull each provider toward its configured weight. */
  priorStrength: number;
  /** Floor of any weight, as a fraction of the total. */
  minWeight: number;
}

export interface ProviderScore {
  provider: string;
  /** Directional (BUY/SELL) votes on closed trades. */
  n: number;
  hits: number;
  /** Directional votes on measured recommendations (a sample of its own, counted at `recommendationFactor` of a trade). */
  recommendations: number;
  recommendationHits: number;
  recommendationFactor: number;
  /** Sum of cost-adjusted returns its votes would have earned (recommendation votes scaled by their factor). */
  gains: number;
  losses: number;
  /** Shrunk profit factor: gains / losses with `priorStrength` break-even votes added to both sides, held to the side the gate decided. */
  factor: number;
  /** The sequential test on the cost-adjusted hit rate (trades + recommendations × factor). */
  gate: GateResult;
  moved: boolean;
}

export interface WeightResult {
  weights: Record<string, number>;
  scores: ProviderScore[];
}

function score(provider: string, outcomes: readonly TradeOutcome[], p: WeightParams, recs: RecommendationEvidence): ProviderScore {
  let n = 0;
  let hits = 0;
  let gains = 0;
  let losses = 0;
  let rn = 0;
  let rhits = 0;
  if (recs.factor > 0) {
    for (const s of recs.samples) {
      if (s.provider !== provider) continue;
      rn++;
      if (s.ret > 0) {
        rhits++;
        gains += recs.factor * s.ret;
      } else losses -= recs.factor * s.ret;
    }
  }
  for (const o of outcomes) {
    for (const v of o.votes) {
      if (v.provider !== provider) continue;
      const r = voteReturn(o, v);
      if (r === null) continue;
      n++;
      if (r > 0) {
        hits++;
        gains += r;
      } else losses -= r;
    }
  }
  // The evidence in closed-trade equivalents: a recommendation counts `factor` of a trade.
  const evidence = n + recs.factor * rn;
  const weightedHits = hits + recs.factor * rhits;
  const gate = hitRateGate(weightedHits, evidence - weightedHits, p.gateAlpha);
  const moved = gate.decision !== 'undecided' && gains + losses > 0;
  // The prior is in units of this provider's own typical move, so the shrinkage does not depend on volatility.
  const prior = (p.priorStrength * ((gains + losses) / Math.max(evidence, 1))) / 2;
  const pf = moved ? (gains + prior) / (losses + prior) : 1;
  // The gate says which way; the profit factor says how far. A hit rate below a coin whose wins
  // still outweigh its losses (or the reverse) is a disagreement: the weight stays.
  const factor = gate.decision === 'demote' ? Math.min(pf, 1) : gate.decision === 'promote' ? Math.max(pf, 1) : 1;
  return { provider, n, hits, recommendations: rn, recommendationHits: rhits, recommendationFactor: recs.factor, gains, losses, factor, gate, moved };
}

/**
 * Adaptive ensemble weights: each configured weight scaled by the provider's shrunk,
 * cost-adjusted profit factor (what following its BUY/SELL calls would have earned), then
 * floored and renormalised to the configured total. A provider whose sequential test has not
 * decided keeps a factor of exactly 1, so nothing moves before the evidence is strong. Measured recommendations
 * (`recs`) add their votes as a separate sample, each counting `recs.factor` of a closed trade in
 * the evidence and the gains and losses; `explain` names the two samples apart.
 */
export function adaptiveWeights(base: Record<string, number>, outcomes: readonly TradeOutcome[], p: WeightParams, recs: RecommendationEvidence = NO_RECOMMENDATIONS): WeightResult {
  const names = Object.keys(base);
  const total = names.reduce((a, k) => a + base[k], 0);
  const scores = names.map((k) => score(k, outcomes, p, recs));
  if (total <= 0 || scores.every((s) => !s.moved)) return { weights: { ...base }, scores };
  const raw = Object.fromEntries(scores.map((s) => [s.provider, base[s.provider] * s.factor]));
  return { weights: floored(raw, total, p.minWeight * total), scores };
}

/** Scales `raw` to `total`, holding every positive weight at `floor` or above and sharing the rest pro rata. */
function floored(raw: Record<string, number>, total: number, floor: number): Record<string, number> {
  const names = Object.keys(raw);
  const pinned = new Set<string>();
  for (;;) {
    const free = names.filter((k) => !pinned.has(k) && raw[k] > 0);
    const freeSum = free.reduce((a, k) => a + raw[k], 0);
    const left = total - pinned.size * floor;
    const out = Object.fromEntries(names.map((k) => [k, pinned.has(k) ? floor : freeSum > 0 && raw[k] > 0 ? (raw[k] / freeSum) * left : 0]));
    const under = free.filter((k) => out[k] < floor);
    if (under.length === 0) return out;
    for (const k of under) pinned.add(k);
  }
}

/** Largest absolute difference between two weight maps over the union of their keys. */
export function maxShift(a: Record<string, number>, b: Record<string, number>): number {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  let m = 0;
  for (const k of keys) m = Math.max(m, Math.abs((a[k] ?? 0) - (b[k] ?? 0)));
  return m;
}

export function explain(scores: readonly ProviderScore[]): string {
  const recs = (s: ProviderScore) => (s.recommendations ? ` + ${s.recommendationHits}/${s.recommendations} recommendations right (each ×${s.recommendationFactor})` : '');
  return scores
    .map((s) => {
      const head = `${s.provider}: ${s.hits}/${s.n} right${recs(s)}, ${describeGate(s.gate)}`;
      if (!s.moved) return `${head} → unchanged`;
      const money = `gains ${(s.gains * 100).toFixed(2)}% vs losses ${(s.losses * 100).toFixed(2)}%`;
      if (s.factor === 1) return `${head} but ${money} disagree → unchanged`;
      return `${head} (${s.gate.decision}); ${money} → ×${s.factor.toFixed(3)}`;
    })
    .join('; ');
}
