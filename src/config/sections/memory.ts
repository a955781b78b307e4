import { z } from 'zod';
import { field, fraction } from '../meta.js';

export const memorySection = z.strictObject({
  min_outcomes: field(z.number().int().min(1).default(10), {
    description: 'closed trades a provider must have voted on before its weight may move from the configured one',
  }),
  prior_strength: field(z.number().min(0).default(10), {
    description: 'pseudo-outcomes at a 50 % hit rate that shrink each provider toward its configured weight',
  }),
  min_weight: fraction(0.01, 'floor of any provider weight (fraction of the total), so a provider can earn its say back'),
  change_epsilon: fraction(0.001, 'smallest weight change that is applied and written to the audit trail'),
  per_regime: field(z.boolean().default(false), { description: 'learn separate weights per market regime (falls back to all regimes when a regime has too few outcomes)' }),
  frozen: field(z.boolean().default(false), { description: 'keep the configured ensemble weights; outcomes are still recorded' }),
  summary_window: field(z.number().int().min(1).default(20), { description: 'recent closed trades summarised into the analysis context' }),
});
