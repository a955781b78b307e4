/**
 * The investor platform's API (watchlists, daily recommendations, consents, GDPR) as the dashboard
 * calls it: the wire shapes of the shared contract (snake_case, ISO times) and one function per
 * route over the session's ApiClient.
 */
import type { ApiClient } from './api';

export interface Watchlist {
  id: string;
  name: string;
  pairs: string[];
  created_at: string;
  updated_at: string;
}

export type RecAction = 'BUY' | 'SELL' | 'HOLD';
export type OutcomeStatus = 'pending' | 'target' | 'stop' | 'horizon';

export interface RecFeedback {
  useful: boolean;
  acted: boolean;
  note: string | null;
  at: string;
}

export interface RecOutcome {
  status: OutcomeStatus;
  exit_price: number | null;
  return_after_costs: number | null;
  correct: boolean | null;
  measured_at: string | null;
}

export interface Recommendation {
  id: string;
  run_id: string;
  pair: string;
  created_at: string;
  action: RecAction;
  /** 0-100 */
  confidence: number;
  horizon: string;
  horizon_ends_at: string;
  entry: number;
  stop: number | null;
  target: number | null;
  reasoning: string;
  votes: { provider: string; action: RecAction; confidence: number }[];
  disclosure: string;
  decision_id: string | null;
  feedback: RecFeedback | null;
  outcome: RecOutcome;
}

export interface Run {
  id: string;
  started_at: string;
  finished_at: string | null;
  pairs: number;
  recommendations: number;
  errors: number;
}

export interface AccuracyRow {
  samples: number;
  hits: number;
  accuracy: number | null;
  avg_return: number | null;
}
export type FeedbackClass = 'useful' | 'not_useful' | 'acted' | 'not_acted' | 'unrated';
export interface Accuracy {
  factor: number;
  providers: (AccuracyRow & { provider: string })[];
  feedback_classes: (AccuracyRow & { class: FeedbackClass })[];
}

export interface Consent {
  purpose: string;
  version: string;
  granted: boolean;
  at: string | null;
  description: string;
}

export interface DeleteAccountAnswer {
  erased: true;
  pseudonym: string;
  records: number;
}

const enc = encodeURIComponent;
const W = '/api/v1/watchlists';
const R = '/api/v1/recommendations';

export const watchlists = {
  list: (api: ApiClient) => api.get<{ watchlists: Watchlist[] }>(W).then((r) => r.watchlists),
  create: (api: ApiClient, name: string, pairs: string[]) => api.post<Watchlist>(W, { name, pairs }),
  rename: (api: ApiClient, id: string, name: string) => api.put<Watchlist>(`${W}/${enc(id)}`, { name }),
  remove: (api: ApiClient, id: string) => api.delete<void>(`${W}/${enc(id)}`),
  addPair: (api: ApiClient, id: string, pair: string) => api.post<Watchlist>(`${W}/${enc(id)}/pairs`, { pair }),
  removePair: (api: ApiClient, id: string, pair: string) => api.delete<Watchlist>(`${W}/${enc(id)}/pairs/${enc(pair)}`),
};

export interface FeedbackInput {
  useful: boolean;
  acted: boolean;
  note?: string;
}

export const recommendations = {
  daily: (api: ApiClient) => api.get<{ run: Run | null; recommendations: Recommendation[] }>(`${R}/daily`),
  history: (api: ApiClient, q: { limit?: number; cursor?: string | null; pair?: string }) =>
    api.get<{ recommendations: Recommendation[]; next_cursor: string | null }>(`${R}/history`, { limit: q.limit, cursor: q.cursor, pair: q.pair }),
  feedback: (api: ApiClient, id: string, input: FeedbackInput) => api.post<Recommendation>(`${R}/${enc(id)}/feedback`, input),
  run: (api: ApiClient) => api.post<{ run: Run }>(`${R}/run`),
  accuracy: (api: ApiClient) => api.get<Accuracy>(`${R}/accuracy`),
};

export const consents = {
  list: (api: ApiClient) => api.get<{ consents: Consent[] }>('/api/v1/consents').then((r) => r.consents),
  set: (api: ApiClient, purpose: string, granted: boolean) => api.put<Consent>(`/api/v1/consents/${enc(purpose)}`, { granted }),
};

export const gdpr = {
  export: (api: ApiClient) => api.get<Record<string, unknown>>('/api/v1/gdpr/export'),
  deleteAccount: (api: ApiClient, confirm: string, password: string) => api.post<DeleteAccountAnswer>('/api/v1/gdpr/delete-account', { confirm, password }),
};
