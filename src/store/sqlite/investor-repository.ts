import { NO_CIPHER, type FieldCipher } from '../field-cipher.js';
import { placeOf } from '../sealed-columns.js';
import { sql } from 'kysely';
import type {
  ConsentRecord,
  InvestorRepository,
  OutcomeStatus,
  RecommendationFeedback,
  RecommendationOutcome,
  RecommendationQuery,
  RecommendationRecord,
  RecommendationRunRecord,
  RecommendationVote,
  WatchlistRecord,
} from '../port.js';
import type { Session } from '../session.js';

type WatchlistRow = { id: string; owner: string; name: string; pairs: string; created_at: number; updated_at: number };
type RunRow = { id: string; slot: number | null; trigger: string; started_at: number; finished_at: number | null; pairs: number; recommendations: number; errors: number };
type RecommendationRow = {
  id: string;
  run_id: string;
  owner: string;
  pair: string;
  created_at: number;
  action: string;
  confidence: number;
  horizon_days: number;
  horizon_ends_at: number;
  bar_time: number;
  entry: number;
  stop: number | null;
  target: number | null;
  reasoning: string;
  votes: string;
  disclosure: string;
  decision_id: string | null;
  outcome_status: string;
  exit_price: number | null;
  return_after_costs: number | null;
  correct: number | null;
  measured_at: number | null;
  feedback_useful: number | null;
  feedback_acted: number | null;
  feedback_note: string | null;
  feedback_at: number | null;
};
type ConsentRow = { seq: number; owner: string; purpose: string; version: string; granted: number; at: number };
type InvestorTables = { watchlists: WatchlistRow; recommendation_runs: RunRow; recommendations: RecommendationRow; consents: ConsentRow };

const num = (v: number | null) => (v === null ? null : Number(v));
const bool = (v: number | null) => (v === null ? null : Number(v) === 1);

const toWatchlist = (r: WatchlistRow): WatchlistRecord => ({
  id: r.id,
  owner: r.owner,
  name: r.name,
  pairs: JSON.parse(r.pairs) as string[],
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

const toRun = (r: RunRow): RecommendationRunRecord => ({
  id: r.id,
  slot: num(r.slot),
  trigger: r.trigger as RecommendationRunRecord['trigger'],
  startedAt: Number(r.started_at),
  finishedAt: num(r.finished_at),
  pairs: Number(r.pairs),
  recommendations: Number(r.recommendations),
  errors: Number(r.errors),
});

function toRecommendation(r: RecommendationRow, openNote: (sealed: string) => string): RecommendationRecord {
  return {
    id: r.id,
    runId: r.run_id,
    owner: r.owner,
    pair: r.pair,
    createdAt: Number(r.created_at),
    action: r.action as RecommendationRecord['action'],
    confidence: Number(r.confidence),
    horizonDays: Number(r.horizon_days),
    horizonEndsAt: Number(r.horizon_ends_at),
    barTime: Number(r.bar_time),
    entry: Number(r.entry),
    stop: num(r.stop),
    target: num(r.target),
    reasoning: r.reasoning,
    votes: JSON.parse(r.votes) as RecommendationVote[],
    disclosure: r.disclosure,
    decisionId: r.decision_id,
    feedback:
      r.feedback_at === null ? null : { useful: bool(r.feedback_useful) ?? false, acted: bool(r.feedback_acted) ?? false, note: r.feedback_note === null ? null : openNote(r.feedback_note), at: Number(r.feedback_at) },
    outcome: {
      status: r.outcome_status as OutcomeStatus,
      exitPrice: num(r.exit_price),
      returnAfterCosts: num(r.return_after_costs),
      correct: bool(r.correct),
      measuredAt: num(r.measured_at),
    },
  };
}

const toConsent = (r: ConsentRow): ConsentRecord => ({ owner: r.owner, purpose: r.purpose, version: r.version, granted: Number(r.granted) === 1, at: Number(r.at) });

/** Watchlists, recommendation runs, recommendations and consents (see the port); every owner-scoped statement names the owner. */
const NOTE_PLACE = placeOf({ table: 'recommendations', column: 'feedback_note' });

export class SqliteInvestorRepository implements InvestorRepository {
  private readonly db;

  constructor(
    sqlite: Session,
    /** Feedback notes are free text a person wrote: encrypted at rest when a key is set (src/store/sealed-columns.ts). */
    private readonly cipher: () => FieldCipher = () => NO_CIPHER,
  ) {
    this.db = sqlite.db.withTables<InvestorTables>();
  }

  private readonly rec = (r: RecommendationRow): RecommendationRecord => toRecommendation(r, (v) => this.cipher().open(v, NOTE_PLACE));

  private sealNote(note: string | null): string | null {
    return note === null ? null : this.cipher().seal(note, NOTE_PLACE);
  }

  private async nameTaken(owner: string, name: string, except: string | null): Promise<boolean> {
    let q = this.db.selectFrom('watchlists').select('id').where('owner', '=', owner).where('name', '=', name);
    if (except) q = q.where('id', '!=', except);
    return (await q.executeTakeFirst()) !== undefined;
  }

  async addWatchlist(w: WatchlistRecord): Promise<boolean> {
    if (await this.nameTaken(w.owner, w.name, null)) return false;
    await this.db
      .insertInto('watchlists')
      .values({ id: w.id, owner: w.owner, name: w.name, pairs: JSON.stringify(w.pairs), created_at: w.createdAt, updated_at: w.updatedAt })
      .execute();
    return true;
  }

  async watchlists(owner: string): Promise<WatchlistRecord[]> {
    const rows = await this.db.selectFrom('watchlists').selectAll().where('owner', '=', owner).orderBy('created_at').orderBy('id').execute();
    return rows.map(toWatchlist);
  }

  async watchlist(owner: string, id: string): Promise<WatchlistRecord | null> {
    const r = await this.db.selectFrom('watchlists').selectAll().where('owner', '=', owner).where('id', '=', id).executeTakeFirst();
    return r ? toWatchlist(r) : null;
  }

  async updateWatchlist(owner: string, id: string, patch: { name?: string; pairs?: string[] }, at: number): Promise<boolean> {
    if (patch.name !== undefined && (await this.nameTaken(owner, patch.name, id))) return false;
    const r = await this.db
      .updateTable('watchlists')
      .set({ updated_at: at, ...(patch.name !== undefined ? { name: patch.name } : {}), ...(patch.pairs !== undefined ? { pairs: JSON.stringify(patch.pairs) } : {}) })
      .where('owner', '=', owner)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async deleteWatchlist(owner: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('watchlists').where('owner', '=', owner).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }

  async watchedPairs(): Promise<{ pair: string; owners: string[] }[]> {
    const rows = await this.db.selectFrom('watchlists').select(['owner', 'pairs']).orderBy('owner').execute();
    const byPair = new Map<string, Set<string>>();
    for (const r of rows) for (const p of JSON.parse(r.pairs) as string[]) (byPair.get(p) ?? byPair.set(p, new Set()).get(p)!).add(r.owner);
    return [...byPair.keys()].sort().map((pair) => ({ pair, owners: [...byPair.get(pair)!].sort() }));
  }

  async deleteWatchlists(owner: string): Promise<number> {
    const r = await this.db.deleteFrom('watchlists').where('owner', '=', owner).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async addRun(r: RecommendationRunRecord): Promise<boolean> {
    if (r.slot !== null && (await this.db.selectFrom('recommendation_runs').select('id').where('slot', '=', r.slot).executeTakeFirst())) return false;
    const res = await this.db
      .insertInto('recommendation_runs')
      .values({ id: r.id, slot: r.slot, trigger: r.trigger, started_at: r.startedAt, finished_at: r.finishedAt, pairs: r.pairs, recommendations: r.recommendations, errors: r.errors })
      .onConflict((oc) => oc.column('slot').doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 1) === 1;
  }

  async finishRun(id: string, end: { finishedAt: number; pairs: number; recommendations: number; errors: number }): Promise<void> {
    await this.db.updateTable('recommendation_runs').set({ finished_at: end.finishedAt, pairs: end.pairs, recommendations: end.recommendations, errors: end.errors }).where('id', '=', id).execute();
  }

  async run(id: string): Promise<RecommendationRunRecord | null> {
    const r = await this.db.selectFrom('recommendation_runs').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toRun(r) : null;
  }

  async latestRun(): Promise<RecommendationRunRecord | null> {
    const r = await this.db.selectFrom('recommendation_runs').selectAll().orderBy('started_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
    return r ? toRun(r) : null;
  }

  async addRecommendations(rs: RecommendationRecord[]): Promise<void> {
    if (!rs.length) return;
    // Batches keep each statement under the engines' bound-parameter limits.
    for (let i = 0; i < rs.length; i += 200) {
      await this.db
        .insertInto('recommendations')
        .values(
          rs.slice(i, i + 200).map((r) => ({
            id: r.id,
            run_id: r.runId,
            owner: r.owner,
            pair: r.pair,
            created_at: r.createdAt,
            action: r.action,
            confidence: r.confidence,
            horizon_days: r.horizonDays,
            horizon_ends_at: r.horizonEndsAt,
            bar_time: r.barTime,
            entry: r.entry,
            stop: r.stop,
            target: r.target,
            reasoning: r.reasoning,
            votes: JSON.stringify(r.votes),
            disclosure: r.disclosure,
            decision_id: r.decisionId,
            outcome_status: r.outcome.status,
            exit_price: r.outcome.exitPrice,
            return_after_costs: r.outcome.returnAfterCosts,
            correct: r.outcome.correct === null ? null : r.outcome.correct ? 1 : 0,
            measured_at: r.outcome.measuredAt,
            feedback_useful: r.feedback ? (r.feedback.useful ? 1 : 0) : null,
            feedback_acted: r.feedback ? (r.feedback.acted ? 1 : 0) : null,
            feedback_note: this.sealNote(r.feedback?.note ?? null),
            feedback_at: r.feedback?.at ?? null,
          })),
        )
        .execute();
    }
  }

  async recommendation(id: string): Promise<RecommendationRecord | null> {
    const r = await this.db.selectFrom('recommendations').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? this.rec(r) : null;
  }

  async recommendationsOfRun(owner: string, runId: string): Promise<RecommendationRecord[]> {
    const rows = await this.db.selectFrom('recommendations').selectAll().where('owner', '=', owner).where('run_id', '=', runId).orderBy('pair').orderBy('id').execute();
    return rows.map(this.rec);
  }

  async recommendations(q: RecommendationQuery): Promise<RecommendationRecord[]> {
    let s = this.db.selectFrom('recommendations').selectAll().where('owner', '=', q.owner);
    if (q.pair) s = s.where('pair', '=', q.pair);
    if (q.before) {
      const b = q.before;
      s = s.where((eb) => eb.or([eb('created_at', '<', b.createdAt), eb.and([eb('created_at', '=', b.createdAt), eb('id', '<', b.id)])]));
    }
    const rows = await s.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
    return rows.map(this.rec);
  }

  async pending(limit: number): Promise<RecommendationRecord[]> {
    const rows = await this.db.selectFrom('recommendations').selectAll().where('outcome_status', '=', 'pending').orderBy('created_at').orderBy('id').limit(limit).execute();
    return rows.map(this.rec);
  }

  async measured(): Promise<RecommendationRecord[]> {
    const rows = await this.db.selectFrom('recommendations').selectAll().where('outcome_status', '!=', 'pending').orderBy('created_at').orderBy('id').execute();
    return rows.map(this.rec);
  }

  async setOutcome(id: string, o: RecommendationOutcome): Promise<boolean> {
    const r = await this.db
      .updateTable('recommendations')
      .set({
        outcome_status: o.status,
        exit_price: o.exitPrice,
        return_after_costs: o.returnAfterCosts,
        correct: o.correct === null ? null : o.correct ? 1 : 0,
        measured_at: o.measuredAt,
      })
      .where('id', '=', id)
      .where('outcome_status', '=', 'pending')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async setFeedback(owner: string, id: string, f: RecommendationFeedback): Promise<boolean> {
    const r = await this.db
      .updateTable('recommendations')
      .set({ feedback_useful: f.useful ? 1 : 0, feedback_acted: f.acted ? 1 : 0, feedback_note: this.sealNote(f.note), feedback_at: f.at })
      .where('owner', '=', owner)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async allRecommendations(owner: string): Promise<RecommendationRecord[]> {
    const rows = await this.db.selectFrom('recommendations').selectAll().where('owner', '=', owner).orderBy('created_at').orderBy('id').execute();
    return rows.map(this.rec);
  }

  async pseudonymiseRecommendations(owner: string, pseudonym: string): Promise<number> {
    const r = await this.db.updateTable('recommendations').set({ owner: pseudonym, feedback_note: null }).where('owner', '=', owner).executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async addConsent(c: ConsentRecord): Promise<void> {
    await this.db
      .insertInto('consents')
      .values({ owner: c.owner, purpose: c.purpose, version: c.version, granted: c.granted ? 1 : 0, at: c.at } as ConsentRow)
      .execute();
  }

  async consentHistory(owner: string): Promise<ConsentRecord[]> {
    const rows = await this.db.selectFrom('consents').selectAll().where('owner', '=', owner).orderBy('seq').execute();
    return rows.map(toConsent);
  }

  async latestConsents(purpose: string, owners: string[]): Promise<ConsentRecord[]> {
    if (!owners.length) return [];
    const rows = await this.db
      .selectFrom('consents')
      .selectAll()
      .where('purpose', '=', purpose)
      .where('owner', 'in', owners)
      .where('seq', 'in', (eb) =>
        eb
          .selectFrom('consents as c')
          .select(sql<number>`max(c.seq)`.as('m'))
          .where('c.purpose', '=', purpose)
          .groupBy('c.owner'),
      )
      .orderBy('owner')
      .execute();
    return rows.map(toConsent);
  }

  async pseudonymiseConsents(owner: string, pseudonym: string): Promise<number> {
    const r = await this.db.updateTable('consents').set({ owner: pseudonym }).where('owner', '=', owner).executeTakeFirst();
    return Number(r.numUpdatedRows);
  }
}
