/** The Recommendations page's pure parts: how outcomes read, and how live events and answers update a list in place. */
import type { Tone } from '../../components/ui';
import type { OutcomeStatus, Recommendation } from '../../lib/investor';

export const OUTCOME_LABEL: Readonly<Record<OutcomeStatus, string>> = {
  pending: 'pending',
  target: 'target reached',
  stop: 'stopped out',
  horizon: 'horizon ended',
};

export const outcomeTone = (status: OutcomeStatus, correct: boolean | null): Tone => (status === 'pending' ? 'muted' : correct === true ? 'ok' : correct === false ? 'bad' : 'info');

export const correctLabel = (correct: boolean | null): string => (correct === true ? 'correct' : correct === false ? 'not correct' : 'not judged');

/** The list with `rec` in place of the one of its id (the answer to a rating); unchanged order. */
export const replaceRec = (list: readonly Recommendation[], rec: Recommendation): Recommendation[] => list.map((r) => (r.id === rec.id ? rec : r));

/** The RecommendationOutcomeMeasured payload (snake_case, as /ws sends it). */
export interface OutcomeEvent {
  id: string;
  status: OutcomeStatus;
  return_after_costs: number | null;
  correct: boolean | null;
}

export function isOutcomeEvent(p: Record<string, unknown>): p is Record<string, unknown> & OutcomeEvent {
  return typeof p.id === 'string' && typeof p.status === 'string' && p.status in OUTCOME_LABEL;
}

/** The list with a measured outcome applied to its recommendation (exit price arrives with the next reload). */
export function applyOutcome(list: readonly Recommendation[], e: OutcomeEvent, at: string): Recommendation[] {
  return list.map((r) => (r.id === e.id ? { ...r, outcome: { ...r.outcome, status: e.status, return_after_costs: e.return_after_costs, correct: e.correct, measured_at: r.outcome.measured_at ?? at } } : r));
}

/** The feedback body: a note only when one was written (trimmed, at most 1000 characters as the API allows). */
export function feedbackBody(useful: boolean, acted: boolean, note: string): { useful: boolean; acted: boolean; note?: string } {
  const n = note.trim().slice(0, 1000);
  return n ? { useful, acted, note: n } : { useful, acted };
}
