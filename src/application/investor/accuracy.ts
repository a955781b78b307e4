import { recommendationSamples } from '../../memory/recommendation-samples.js';
import type { RecommendationRecord } from '../../store/port.js';

export const FEEDBACK_CLASSES = ['useful', 'not_useful', 'acted', 'not_acted', 'unrated'] as const;
export type FeedbackClass = (typeof FEEDBACK_CLASSES)[number];

export interface AccuracyRow {
  samples: number;
  hits: number;
  /** hits / samples; null without samples. */
  accuracy: number | null;
  /** Mean return after costs; null without samples. */
  avg_return: number | null;
}

export interface Accuracy {
  /** Weight of one measured recommendation against one closed trade where the memory report blends the two samples. */
  factor: number;
  providers: ({ provider: string } & AccuracyRow)[];
  feedback_classes: ({ class: FeedbackClass } & AccuracyRow)[];
}

const row = (returns: number[]): AccuracyRow => {
  const hits = returns.filter((r) => r > 0).length;
  return {
    samples: returns.length,
    hits,
    accuracy: returns.length ? hits / returns.length : null,
    avg_return: returns.length ? returns.reduce((a, b) => a + b, 0) / returns.length : null,
  };
};

/**
 * Recommendation accuracy, a sample of its own (never mixed into the closed-trade statistics).
 * Per provider: each provider is judged by its own BUY/SELL vote on the measured move, after
 * costs (a HOLD vote abstains, as in the trade memory); a decision shared by several users counts
 * once. Per feedback class: each measured BUY/SELL recommendation by its own return, classed by
 * its owner's rating: a rating counts only while the owner consents to `feedback_learning`
 * (`learning`); otherwise, or without a rating, the recommendation is `unrated`.
 */
export function recommendationAccuracy(measured: readonly RecommendationRecord[], cost: number, learning: ReadonlySet<string>, factor: number): Accuracy {
  const byProvider = new Map<string, number[]>();
  for (const x of recommendationSamples(measured, cost)) (byProvider.get(x.provider) ?? byProvider.set(x.provider, []).get(x.provider)!).push(x.ret);
  const byClass = new Map<FeedbackClass, number[]>(FEEDBACK_CLASSES.map((c) => [c, []]));
  for (const r of measured) {
    if (r.outcome.exitPrice === null || r.entry <= 0) continue;
    const ret = r.outcome.returnAfterCosts;
    if (ret === null) continue;
    const f = r.feedback && learning.has(r.owner) ? r.feedback : null;
    if (!f) byClass.get('unrated')!.push(ret);
    else {
      byClass.get(f.useful ? 'useful' : 'not_useful')!.push(ret);
      byClass.get(f.acted ? 'acted' : 'not_acted')!.push(ret);
    }
  }
  return {
    factor,
    providers: [...byProvider.keys()].sort().map((provider) => ({ provider, ...row(byProvider.get(provider)!) })),
    feedback_classes: FEEDBACK_CLASSES.map((c) => ({ class: c, ...row(byClass.get(c)!) })),
  };
}

/**
 * One provider's hit rate over both samples, a recommendation counting `factor` of a closed
 * trade: (trade hits + factor × recommendation hits) / (trades + factor × recommendations).
 */
export function blendedHitRate(trades: { n: number; hits: number }, recs: { samples: number; hits: number }, factor: number): number | null {
  const n = trades.n + factor * recs.samples;
  return n > 0 ? (trades.hits + factor * recs.hits) / n : null;
}
