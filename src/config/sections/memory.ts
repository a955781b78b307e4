import { z } from 'zod';
import { field, fraction } from '../meta.js';

export const memorySection = z.strictObject({
  gate_alpha: field(z.number().gt(0).lt(1).default(0.025), {
    description:
      'error rate of the sequential test that gates every weight change (a mixture SPRT on the cost-adjusted hit rate): a provider no worse than a coin is ever demoted, or one no better ever promoted, with at most this probability however long it runs; a weight moves as soon as the evidence reaches 1/gate_alpha (at 0.025: after 8 calls that were all wrong) and never before',
  }),
  prior_strength: field(z.number().min(0).default(5), {
    description: 'break-even pseudo-outcomes (in units of the provider’s own typical move) that shrink the profit factor of a provider the gate let through toward its configured weight',
  }),
  calibrated_confidence: field(z.boolean().default(false), {
    description:
      "the ensemble votes with each provider's calibrated confidence (an isotonic map from stated confidence to its realised hit rate on closed trades) instead of the stated one, for providers with at least calibration_min_samples judged calls",
  }),
  calibration_min_samples: field(z.number().int().min(2).default(30), {
    description: 'judged calls a provider needs before its calibrated confidence is used (fewer: its stated confidence)',
  }),
  min_weight: fraction(0.01, 'floor of any provider weight (fraction of the total), so a provider can earn its say back'),
  change_epsilon: fraction(0.001, 'smallest weight change that is applied and written to the audit trail'),
  per_regime: field(z.boolean().default(false), { description: 'learn separate weights per market regime (falls back to all regimes when a regime has too few outcomes)' }),
  frozen: field(z.boolean().default(false), { description: 'keep the configured ensemble weights; outcomes are still recorded' }),
  summary_window: field(z.number().int().min(1).default(20), { description: 'recent closed trades summarised into the analysis context' }),
});
