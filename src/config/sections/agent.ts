import { z } from 'zod';
import { field, fraction, isPair, isTimeZone, pairProblem } from '../meta.js';

const backoff = (attempts: number, baseMs: number, maxMs: number) =>
  z.strictObject({
    attempts: field(z.number().int().min(1).default(attempts), { description: 'tries before giving up' }),
    base_ms: field(z.number().min(0).default(baseMs), { description: 'first delay; doubles per try' }),
    max_ms: field(z.number().min(0).default(maxMs), { description: 'cap of one delay (before jitter of up to 10 %)' }),
  });

export const agentSection = z.strictObject({
  assets: field(
    z
      .array(
        z
          .string()
          .min(1)
          .refine(isPair, { error: (i) => pairProblem(i.input) }),
      )
      .min(1)
      .default(['BTCUSD', 'ETHUSD']),
    { description: 'pairs the agent analyses each cycle' },
  ),
  provider: field(z.string().min(1).nullable().default(null), { description: 'provider the agent asks (null: decision_engine.ai_provider)' }),
  interval_seconds: field(z.number().positive().default(300), { description: 'time between cycles' }),
  max_daily_trades: field(z.number().int().min(0).default(5), { description: 'new trades per trading day (0: unlimited)' }),
  approval: field(z.enum(['autonomous', 'manual']).default('manual'), { description: 'autonomous executes approved-by-risk decisions; manual queues them for `ffe approve`' }),
  approval_ttl_seconds: field(z.number().positive().default(900), { description: 'a pending approval expires after this and is never executed' }),
  timezone: field(z.string().min(1).refine(isTimeZone, { error: 'an IANA time zone such as UTC, Europe/London or America/New_York' }).default('UTC'), {
    description: "IANA time zone whose midnight starts the trading day of every daily check: the daily trade counter, the kill switch and the risk gate's daily loss",
  }),
  kill_switch: z
    .strictObject({
      loss_fraction: fraction(0.05, 'HALT when the portfolio has lost this fraction of its value (0.05 = 5 %)'),
      basis: field(z.enum(['day', 'since_start']).default('day'), { description: 'measure the loss since the start of the trading day or since the agent started' }),
    })
    .prefault({}),
  recovery: backoff(3, 1000, 30_000).prefault({}),
  reasoning: backoff(3, 1000, 30_000).prefault({}),
  failure_decay_seconds: field(z.number().positive().default(3600), { description: 'half-life of the per-asset failure counter' }),
  max_asset_failures: field(z.number().positive().default(5), { description: 'skip an asset while its decayed failure count is at or above this' }),
  max_hold_seconds: field(z.number().positive().nullable().default(null), { description: 'close a position held this long (time stop; null: hold until stop, target or an opposite decision)' }),
  close_on_emergency_stop: field(z.boolean().default(false), { description: 'emergency stop also closes every open position' }),
});
