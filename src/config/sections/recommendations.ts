import { Cron } from 'croner';
import { z } from 'zod';
import { field, fraction, isTimeZone } from '../meta.js';

/** A cron expression croner accepts (5 or 6 fields). */
function cronProblem(expr: string): string | undefined {
  try {
    new Cron(expr, { paused: true });
    return undefined;
  } catch (e) {
    return `a cron expression such as "0 7 * * 1-5" (${(e as Error).message})`;
  }
}

export const DEFAULT_DISCLOSURE =
  'This is an automated analysis, not investment advice. It does not consider your situation, may be wrong, and past accuracy does not predict future results. Trading can lose you money, including more than you expect; decide for yourself and only risk what you can afford to lose.';

/** The investor platform's daily recommendations (docs/recommendations.md). */
export const recommendationsSection = z.strictObject({
  cron: field(
    z
      .string()
      .superRefine((v, ctx) => {
        const p = cronProblem(v);
        if (p) ctx.addIssue({ code: 'custom', message: p });
      })
      .nullable()
      .default('0 7 * * 1-5'),
    { description: 'when the daily run analyses every watched pair (cron, in recommendations.timezone; default 07:00 on weekdays; null: no scheduled run)' },
  ),
  timezone: field(z.string().min(1).refine(isTimeZone, { error: 'an IANA time zone such as UTC, Europe/London or America/New_York' }).default('UTC'), {
    description: 'time zone the cron expression is read in',
  }),
  horizon_days: field(z.number().int().min(1).max(90).default(5), { description: 'days after which a recommendation is judged on market data (earlier when its stop or target is hit)' }),
  max_pairs: field(z.number().int().min(1).max(10000).default(200), { description: 'most distinct pairs one run analyses (watched pairs beyond it are skipped and counted as errors)' }),
  max_pairs_per_watchlist: field(z.number().int().min(1).max(1000).default(50), { description: 'most pairs one watchlist holds' }),
  provider: field(z.string().min(1).nullable().default(null), { description: 'provider the run asks (null: decision_engine.ai_provider, as `ffe analyze`)' }),
  disclosure: field(z.string().min(1).max(2000).default(DEFAULT_DISCLOSURE), { description: 'text stored and shown with every recommendation (it is not advice; the risk)' }),
  memory_weight: fraction(
    0.25,
    "weight of one measured recommendation against one closed trade in the feedback loop's provider weights and the memory report's blend (0: weights learn from closed trades alone; the two samples are always shown apart)",
  ),
  consent_version: field(z.string().min(1).default('2026-12'), { description: 'version of the consent texts; a change asks users to consent again (older grants no longer count)' }),
});
