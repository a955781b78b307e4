import { inputError } from '../../core/errors.js';
import { providerStats } from '../../memory/statistics.js';
import type { RecommendationRecord, RecommendationRunRecord } from '../../store/port.js';
import type { Principal } from '../auth/principal.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { Runtime } from '../runtime.js';
import { blendedHitRate, recommendationAccuracy, type Accuracy } from './accuracy.js';
import { consenting } from './consents.js';
import { startDailyRun } from './daily-run.js';
import { measurePending, roundTripCost } from './outcome.js';
import { ownerOf } from './owner.js';
import { normalisePair } from './watchlists.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const runView = (r: RecommendationRunRecord) => ({
  id: r.id,
  started_at: new Date(r.startedAt).toISOString(),
  finished_at: iso(r.finishedAt),
  pairs: r.pairs,
  recommendations: r.recommendations,
  errors: r.errors,
});
export type RunView = ReturnType<typeof runView>;

/** A recommendation as the API, CLI, dashboard and Telegram show it (docs/recommendations.md). */
export const recommendationView = (r: RecommendationRecord) => ({
  id: r.id,
  run_id: r.runId,
  pair: r.pair,
  created_at: new Date(r.createdAt).toISOString(),
  action: r.action,
  confidence: r.confidence,
  horizon: `${r.horizonDays}d`,
  horizon_ends_at: new Date(r.horizonEndsAt).toISOString(),
  entry: r.entry,
  stop: r.stop,
  target: r.target,
  reasoning: r.reasoning,
  votes: r.votes,
  disclosure: r.disclosure,
  decision_id: r.decisionId,
  feedback: r.feedback ? { useful: r.feedback.useful, acted: r.feedback.acted, note: r.feedback.note, at: new Date(r.feedback.at).toISOString() } : null,
  outcome: {
    status: r.outcome.status,
    exit_price: r.outcome.exitPrice,
    return_after_costs: r.outcome.returnAfterCosts,
    correct: r.outcome.correct,
    measured_at: iso(r.outcome.measuredAt),
  },
});
export type RecommendationView = ReturnType<typeof recommendationView>;

export const MAX_HISTORY = 200;
export const MAX_NOTE = 1000;

/** Daily recommendations: the caller's own, their feedback, the runs, and accuracy. */
export const recommendationUseCases = (rt: Runtime) => {
  const store = () => rt.app.store.investor;
  const cfg = () => rt.app.config.recommendations;
  let running: Promise<unknown> | null = null;
  const abort = new AbortController();
  // Closing stops a run between pairs; what it stored stays.
  rt.beforeClose(async () => {
    abort.abort();
    await running?.catch(() => undefined);
  });
  const own = async (who: Principal, id: string) => {
    const r = await store().recommendation(id);
    if (!r || r.owner !== ownerOf(who)) throw inputError('RECOMMENDATION_NOT_FOUND', `no recommendation "${id}" of yours`);
    return r;
  };
  const accuracy = async (): Promise<Accuracy> => {
    const measured = await store().measured();
    const learning = await consenting(
      rt.app.store,
      'feedback_learning',
      measured.map((r) => r.owner),
      cfg().consent_version,
    );
    return recommendationAccuracy(measured, roundTripCost(rt.app.config.costs), learning, cfg().memory_weight);
  };
  /**
   * Starts a run unless one is running in this process: `slot` for a scheduled one (null when that
   * slot ran already, here or on another instance). Resolves once the run is recorded; `done` once it finished.
   */
  const start = async (trigger: 'schedule' | 'manual', slot: number | null, asOf?: number) => {
    if (running) throw inputError('RECOMMENDATION_RUN_RUNNING', 'a daily run is already running; its recommendations arrive as it goes');
    if (asOf !== undefined && !(asOf <= rt.app.clock.now())) throw inputError('DATE_INVALID', 'as_of: a moment in the past');
    const h = await startDailyRun(rt, { trigger, slot, signal: abort.signal, asOf });
    if (!h) return null;
    running = h.done.finally(() => (running = null));
    return { run: runView(h.run), done: h.done.then(runView) };
  };
  return {
    start,
    async daily(who: Principal) {
      const run = await store().latestRun();
      return { run: run ? runView(run) : null, recommendations: run ? (await store().recommendationsOfRun(ownerOf(who), run.id)).map(recommendationView) : [] };
    },
    async history(who: Principal, q: { limit?: number; cursor?: string; pair?: string }) {
      const limit = q.limit ?? 50;
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_HISTORY) throw inputError('LIMIT_INVALID', `limit: a whole number from 1 to ${MAX_HISTORY}`);
      const before = q.cursor ? (([createdAt, id]) => ({ createdAt: createdAt as number, id: id as string }))(decodeCursor('recommendations', q.cursor, ['number', 'string'])) : undefined;
      const rows = await store().recommendations({ owner: ownerOf(who), pair: q.pair ? normalisePair(q.pair) : undefined, before, limit: limit + 1 });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return { recommendations: page.map(recommendationView), next_cursor: rows.length > limit && last ? encodeCursor('recommendations', [last.createdAt, last.id]) : null };
    },
    get: async (who: Principal, id: string) => recommendationView(await own(who, id)),
    /** The caller's rating; it feeds the memory's feedback classes only while they consent to `feedback_learning`. */
    async rate(who: Principal, id: string, f: { useful: boolean; acted: boolean; note?: string | null }) {
      if (typeof f.useful !== 'boolean' || typeof f.acted !== 'boolean') throw inputError('FEEDBACK_INVALID', 'useful: say whether it was useful (true or false), and acted: whether you acted on it');
      const note = f.note?.trim() || null;
      if (note && note.length > MAX_NOTE) throw inputError('FEEDBACK_INVALID', `note: at most ${MAX_NOTE} characters`);
      const r = await own(who, id);
      await store().setFeedback(r.owner, id, { useful: f.useful, acted: f.acted, note, at: rt.app.clock.now() });
      return recommendationView((await store().recommendation(id))!);
    },
    /**
     * Runs the daily run now (202: it goes on in the background); RECOMMENDATION_RUN_RUNNING when
     * one is running. `asOf` (ms, in the past) analyses as of that moment on the data known then.
     */
    async runNow(asOf?: number) {
      const h = await start('manual', null, asOf);
      return { run: h!.run, done: h!.done };
    },
    measure: () => measurePending(rt),
    accuracy,
    /**
     * The memory report's view: recommendation accuracy next to the closed-trade sample per
     * provider, and the two blended with the configured factor (shown apart as well, never mixed silently).
     */
    async memory() {
      const acc = await accuracy();
      const trades = providerStats(await rt.app.feedback.memoryRepo.outcomes());
      const names = [...new Set([...trades.map((t) => t.key), ...acc.providers.map((p) => p.provider)])].sort();
      return {
        ...acc,
        blended: names.map((provider) => {
          const t = trades.find((x) => x.key === provider);
          const r = acc.providers.find((x) => x.provider === provider);
          const tr = { n: t?.n ?? 0, hits: t?.wins ?? 0 };
          const rc = { samples: r?.samples ?? 0, hits: r?.hits ?? 0 };
          return { provider, trades: tr.n, trade_hit_rate: t ? t.hitRate : null, recommendations: rc.samples, recommendation_hit_rate: r?.accuracy ?? null, blended_hit_rate: blendedHitRate(tr, rc, acc.factor) };
        }),
      };
    },
  };
};
