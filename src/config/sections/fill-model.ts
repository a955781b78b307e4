import { z } from 'zod';
import { field } from '../meta.js';

/** How orders fill against a bar's volume: one home for the backtest engines and the simulated venue (`costs.fill_model`). */
export const fillModelSection = z
  .strictObject({
    impact: field(z.enum(['linear', 'sqrt']).default('sqrt'), {
      description: 'market impact: sqrt = sqrt_k × σ × √(units / bar volume), σ the Parkinson range volatility of the bars before the fill; linear = costs.volume_impact × units / bar volume (both capped at 5 %)',
    }),
    sqrt_k: field(z.number().min(0).default(1), { description: 'impact sqrt: the coefficient k' }),
    volatility_bars: field(z.number().int().min(1).max(1000).default(20), { description: 'impact sqrt: bars σ is measured over (those completed before the fill)' }),
    participation_limit: field(z.number().gt(0).max(1).default(0.1), { description: 'most of a bar’s volume an opening order may fill in that bar (1: no limit); bars without volume are not limited' }),
    remainder: field(z.enum(['carry', 'cancel']).default('carry'), { description: 'what is left of an opening order over the limit: carry (fills at the next bars’ opens, each again limited) or cancel' }),
  })
  .prefault({});
