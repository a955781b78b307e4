import { ACTIONS, type Action } from '../core/decision.js';

/** One answered member's vote; `weight` is already renormalised over the members that answered. */
export interface Vote {
  provider: string;
  action: Action;
  /** 0–100. */
  confidence: number;
  weight: number;
}

export type Tier = 'weighted' | 'majority' | 'average' | 'single_provider';

export interface TierOutcome {
  tier: Tier;
  action: Action;
  /** 0–100, before any quorum penalty. */
  confidence: number;
  /** Why earlier tiers could not decide. */
  skipped: string[];
}

const EPS = 1e-9;
type PerAction = Record<Action, number>;
const zero = (): PerAction => ({ BUY: 0, SELL: 0, HOLD: 0 });
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The single best action, or null on a tie at the top (ties never default to an action). */
function uniqueMax(score: PerAction, among: readonly Action[] = ACTIONS): Action | null {
  const best = Math.max(...among.map((a) => score[a]));
  const top = among.filter((a) => Math.abs(score[a] - best) <= EPS);
  return top.length === 1 ? top[0] : null;
}

/** Confidence-weighted vote shares per action (power = weight × confidence). */
export function voteShares(votes: readonly Vote[]): PerAction {
  const power = zero();
  for (const v of votes) power[v.action] += v.weight * (v.confidence / 100);
  const total = ACTIONS.reduce((s, a) => s + power[a], 0);
  if (total <= EPS) return zero();
  return { BUY: power.BUY / total, SELL: power.SELL / total, HOLD: power.HOLD / total };
}

type TierResult = { action: Action; confidence: number } | { skip: string };

/**
 * Tier 1. Confidence: the supporters' weighted mean confidence scaled by 0.6 + 0.4 × winning
 * share, so a unanimous vote keeps the supporters' confidence and a split vote lowers it; it
 * never exceeds what the supporters said.
 */
function weighted(votes: readonly Vote[]): TierResult {
  if (votes.length < 2) return { skip: 'weighted: fewer than two answers' };
  const shares = voteShares(votes);
  if (ACTIONS.every((a) => shares[a] === 0)) return { skip: 'weighted: no voting weight (all weights or confidences are 0)' };
  const action = uniqueMax(shares);
  if (!action) return { skip: 'weighted: tie in weighted vote shares' };
  const sup = votes.filter((v) => v.action === action);
  const w = sup.reduce((s, v) => s + v.weight, 0);
  const supMean = w > EPS ? sup.reduce((s, v) => s + v.weight * v.confidence, 0) / w : mean(sup.map((v) => v.confidence));
  return { action, confidence: supMean * (0.6 + 0.4 * shares[action]) };
}

/** Tier 2: the most common action; confidence is its supporters' mean. */
function majority(votes: readonly Vote[]): TierResult {
  if (votes.length < 2) return { skip: 'majority: fewer than two answers' };
  const count = zero();
  for (const v of votes) count[v.action]++;
  const action = uniqueMax(count);
  if (!action) return { skip: 'majority: tie in vote counts' };
  return { action, confidence: mean(votes.filter((v) => v.action === action).map((v) => v.confidence)) };
}

/** Tier 3: the action with the highest mean confidence among those voted for. */
function average(votes: readonly Vote[]): TierResult {
  if (votes.length < 2) return { skip: 'average: fewer than two answers' };
  const voted = ACTIONS.filter((a) => votes.some((v) => v.action === a));
  const avg = zero();
  for (const a of voted) avg[a] = mean(votes.filter((v) => v.action === a).map((v) => v.confidence));
  const action = uniqueMax(avg, voted);
  if (!action) return { skip: 'average: tie in mean confidence' };
  return { action, confidence: avg[action] };
}

/** Tier 4: the most confident answer; ties go to the higher weight, then to the earlier member. */
function singleBest(votes: readonly Vote[]): { action: Action; confidence: number; provider: string } {
  const best = votes.reduce((b, v) => (v.confidence > b.confidence + EPS || (Math.abs(v.confidence - b.confidence) <= EPS && v.weight > b.weight + EPS) ? v : b));
  return { action: best.action, confidence: best.confidence, provider: best.provider };
}

/** Runs the tiers in order; each is used only when the ones before cannot decide. `votes` must not be empty. */
export function decideByTiers(votes: readonly Vote[]): TierOutcome & { singleProvider?: string } {
  const skipped: string[] = [];
  for (const [tier, fn] of [
    ['weighted', weighted],
    ['majority', majority],
    ['average', average],
  ] as const) {
    const r = fn(votes);
    if ('skip' in r) skipped.push(r.skip);
    else return { tier, action: r.action, confidence: r.confidence, skipped };
  }
  const best = singleBest(votes);
  return { tier: 'single_provider', action: best.action, confidence: best.confidence, skipped, singleProvider: best.provider };
}

/** Share of answers that agree with the most common action (1 = unanimous). */
export function agreementScore(votes: readonly Vote[]): number {
  if (!votes.length) return 0;
  const count = zero();
  for (const v of votes) count[v.action]++;
  return Math.max(...ACTIONS.map((a) => count[a])) / votes.length;
}

/** Weights over `names` scaled to sum to 1; all zero stays all zero. Bad values count as 0. */
export function normalise(weights: Record<string, number>, names: readonly string[]): Record<string, number> {
  const clean = (x: number | undefined) => (typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : 0);
  const total = names.reduce((s, n) => s + clean(weights[n]), 0);
  return Object.fromEntries(names.map((n) => [n, total > EPS ? clean(weights[n]) / total : 0]));
}
