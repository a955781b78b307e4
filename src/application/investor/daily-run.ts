import type { Decision } from '../../core/decision.js';
import type { NewDomainEvent } from '../../core/events.js';
import { TIMEFRAME_MS, type Timeframe } from '../../core/timeframe.js';
import { newUlid } from '../../lib/fast-ulid.js';
import type { RecommendationRecord, RecommendationRunRecord, RecommendationVote } from '../../store/port.js';
import type { Runtime } from '../runtime.js';
import { DAY_MS, measurePending } from './outcome.js';

/** The providers' votes behind a decision: an ensemble's members, or the one provider that answered. */
export function votesOfDecision(d: Decision): RecommendationVote[] {
  const members = d.metadata.provider_votes;
  if (Array.isArray(members) && members.length)
    return (members as { provider: string; action: RecommendationVote['action']; confidence: number }[]).map((v) => ({ provider: v.provider, action: v.action, confidence: Math.round(v.confidence) }));
  return [{ provider: d.provider, action: d.signal.action, confidence: Math.round(d.signal.confidence) }];
}

/**
 * One owner's recommendation from a decision: entry is the analysed last close; stop and target
 * are the decision's, sized by the one trade policy (`sizing`: fixed or ATR stop, take-profit), so
 * a HOLD has neither.
 */
export function recommendationOf(d: Decision, owner: string, runId: string, o: { at: number; horizonDays: number; disclosure: string }): RecommendationRecord {
  const tf = d.market.timeframe as Timeframe;
  return {
    id: newUlid(o.at),
    runId,
    owner,
    pair: d.assetPair,
    createdAt: o.at,
    action: d.action,
    confidence: d.confidence,
    horizonDays: o.horizonDays,
    horizonEndsAt: o.at + o.horizonDays * DAY_MS,
    barTime: d.market.barTime + (TIMEFRAME_MS[tf] ?? 0),
    entry: d.entryPrice,
    stop: d.action === 'HOLD' ? null : d.stopLossPrice,
    target: d.action === 'HOLD' ? null : d.takeProfitPrice,
    reasoning: d.reasoning,
    votes: votesOfDecision(d),
    disclosure: o.disclosure,
    decisionId: d.id,
    feedback: null,
    outcome: { status: 'pending', exitPrice: null, returnAfterCosts: null, correct: null, measuredAt: null },
  };
}

export const createdEvent = (r: RecommendationRecord): NewDomainEvent => ({
  type: 'RecommendationCreated',
  at: r.createdAt,
  payload: { id: r.id, owner: r.owner, pair: r.pair, action: r.action, confidence: r.confidence },
});

export interface RunHandle {
  run: RecommendationRunRecord;
  /** Resolves with the finished run. */
  done: Promise<RecommendationRunRecord>;
}

/**
 * The daily run: every watched pair is analysed once through the normal engine (`ffe analyze`'s
 * path: the decision is stored with its DecisionMade event), and each user watching it gets a
 * recommendation from that decision, stored with its RecommendationCreated event. Pending
 * outcomes are measured first. A scheduled run names its cron slot: the store takes one run per
 * slot, so two instances (or a restarted leader) never run the same slot twice; null when that
 * slot ran already. `asOf` (a manual run only) analyses as of a past moment on the data known
 * then, for a backfill or a demonstration on the bundled sample. Pairs beyond `recommendations.max_pairs` and pairs whose analysis fails are
 * counted as errors; the run goes on.
 */
export async function startDailyRun(rt: Runtime, o: { trigger: 'schedule' | 'manual'; slot: number | null; signal?: AbortSignal; asOf?: number }): Promise<RunHandle | null> {
  const cfg = rt.app.config.recommendations;
  const startedAt = rt.app.clock.now();
  const watched = await rt.app.store.investor.watchedPairs();
  const run: RecommendationRunRecord = { id: newUlid(startedAt), slot: o.slot, trigger: o.trigger, startedAt, finishedAt: null, pairs: 0, recommendations: 0, errors: 0 };
  if (!(await rt.app.store.investor.addRun(run))) return null;
  const done = (async () => {
    let errors = Math.max(0, watched.length - cfg.max_pairs);
    let made = 0;
    let pairs = 0;
    await measurePending(rt).catch(() => undefined);
    for (const { pair, owners } of watched.slice(0, cfg.max_pairs)) {
      if (o.signal?.aborted) break;
      let decision: Decision;
      try {
        decision = await rt.app.engine.analyze(pair, { provider: cfg.provider ?? undefined, signal: o.signal, asOf: o.asOf });
      } catch {
        errors++;
        continue;
      }
      pairs++;
      // A run as of a past moment recommends as that moment would have: its horizon may be over already.
      const at = o.asOf ?? rt.app.clock.now();
      const recs = owners.map((owner) => recommendationOf(decision, owner, run.id, { at, horizonDays: cfg.horizon_days, disclosure: cfg.disclosure }));
      await rt.commit(async (tx) => {
        await tx.investor.addRecommendations(recs);
        return { result: undefined, events: recs.map(createdEvent) };
      });
      made += recs.length;
    }
    // A run as of a past moment has horizons that are over: measure them now rather than at the next hourly check.
    if (o.asOf !== undefined) await measurePending(rt).catch(() => undefined);
    const end = { finishedAt: rt.app.clock.now(), pairs, recommendations: made, errors };
    await rt.app.store.investor.finishRun(run.id, end);
    return { ...run, ...end };
  })();
  return { run, done };
}
