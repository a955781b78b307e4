/**
 * The investor platform's storage: per-user watchlists, daily recommendation runs, the
 * recommendations with their feedback and measured outcome, and consent records. An owner is a
 * principal label (`user:alice`); every read and write names it, so one user never reaches
 * another's rows. Times are ms.
 */
export interface WatchlistRecord {
  id: string;
  owner: string;
  name: string;
  pairs: string[];
  createdAt: number;
  updatedAt: number;
}

export interface RecommendationRunRecord {
  id: string;
  /** The cron slot a scheduled run is for (unique: one run per slot across instances); null when asked by hand. */
  slot: number | null;
  trigger: 'schedule' | 'manual';
  startedAt: number;
  finishedAt: number | null;
  pairs: number;
  recommendations: number;
  errors: number;
}

export type OutcomeStatus = 'pending' | 'target' | 'stop' | 'horizon';

export interface RecommendationFeedback {
  useful: boolean;
  acted: boolean;
  note: string | null;
  at: number;
}

export interface RecommendationOutcome {
  status: OutcomeStatus;
  exitPrice: number | null;
  returnAfterCosts: number | null;
  correct: boolean | null;
  measuredAt: number | null;
}

export interface RecommendationVote {
  provider: string;
  action: 'BUY' | 'SELL' | 'HOLD';
  confidence: number;
}

export interface RecommendationRecord {
  id: string;
  runId: string;
  owner: string;
  pair: string;
  createdAt: number;
  action: 'BUY' | 'SELL' | 'HOLD';
  confidence: number;
  horizonDays: number;
  horizonEndsAt: number;
  /** When the entry price was observed (close time of its bar, ms): the outcome is measured on the bars that open from then until the horizon. */
  barTime: number;
  entry: number;
  stop: number | null;
  target: number | null;
  reasoning: string;
  votes: RecommendationVote[];
  disclosure: string;
  decisionId: string | null;
  feedback: RecommendationFeedback | null;
  outcome: RecommendationOutcome;
}

export interface ConsentRecord {
  owner: string;
  purpose: string;
  version: string;
  granted: boolean;
  at: number;
}

export interface RecommendationQuery {
  owner: string;
  pair?: string;
  /** Rows strictly older than this (created_at, id), newest first. */
  before?: { createdAt: number; id: string };
  limit: number;
}

export interface InvestorRepository {
  /** False when the owner already has a watchlist of that name (nothing written). */
  addWatchlist(w: WatchlistRecord): Promise<boolean>;
  /** Oldest first. */
  watchlists(owner: string): Promise<WatchlistRecord[]>;
  watchlist(owner: string, id: string): Promise<WatchlistRecord | null>;
  /** False when the owner has no such watchlist or another of theirs has the new name. */
  updateWatchlist(owner: string, id: string, patch: { name?: string; pairs?: string[] }, at: number): Promise<boolean>;
  deleteWatchlist(owner: string, id: string): Promise<boolean>;
  /** Every watched pair with the owners watching it (the daily run's input), pairs sorted. */
  watchedPairs(): Promise<{ pair: string; owners: string[] }[]>;
  /** Removes every watchlist of the owner; returns how many. */
  deleteWatchlists(owner: string): Promise<number>;

  /** False when a run already has this slot (another instance ran it). */
  addRun(r: RecommendationRunRecord): Promise<boolean>;
  finishRun(id: string, end: { finishedAt: number; pairs: number; recommendations: number; errors: number }): Promise<void>;
  run(id: string): Promise<RecommendationRunRecord | null>;
  /** The newest run by start time. */
  latestRun(): Promise<RecommendationRunRecord | null>;

  addRecommendations(rs: RecommendationRecord[]): Promise<void>;
  recommendation(id: string): Promise<RecommendationRecord | null>;
  /** The owner's recommendations of one run, by pair. */
  recommendationsOfRun(owner: string, runId: string): Promise<RecommendationRecord[]>;
  /** The owner's recommendations, newest first. */
  recommendations(q: RecommendationQuery): Promise<RecommendationRecord[]>;
  /** Recommendations whose outcome is still pending, oldest first. */
  pending(limit: number): Promise<RecommendationRecord[]>;
  /** Recommendations with a measured outcome (every owner), oldest first. */
  measured(): Promise<RecommendationRecord[]>;
  /** Stores a measured outcome of a pending recommendation; false when it was measured already. */
  setOutcome(id: string, o: RecommendationOutcome): Promise<boolean>;
  setFeedback(owner: string, id: string, f: RecommendationFeedback): Promise<boolean>;
  /** Every recommendation of the owner, oldest first (export). */
  allRecommendations(owner: string): Promise<RecommendationRecord[]>;
  /** Erasure: the owner's feedback notes are deleted and the owner replaced by `pseudonym`; returns how many rows. */
  pseudonymiseRecommendations(owner: string, pseudonym: string): Promise<number>;

  addConsent(c: ConsentRecord): Promise<void>;
  /** Every change of the owner, oldest first. */
  consentHistory(owner: string): Promise<ConsentRecord[]>;
  /** The latest record per (owner, purpose) for these owners and this purpose. */
  latestConsents(purpose: string, owners: string[]): Promise<ConsentRecord[]>;
  /** Erasure: the owner's consent records are kept under `pseudonym` (proof of what was consented); returns how many. */
  pseudonymiseConsents(owner: string, pseudonym: string): Promise<number>;
}
