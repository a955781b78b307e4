import { z } from 'zod';
import { field } from './meta.js';
import { paperTradingSection, tradingSection } from './sections/trading.js';
import { dataSection, decisionEngineSection, loggingSection, persistenceSection, sizingSection } from './sections/core.js';

/**
 * The one configuration schema: defaults, validation, `ffe config show|docs` and CLI help all
 * read it. Each capability owns a section file in ./sections; add it here with one line.
 */
export const configSchema = z.strictObject({
  environment: field(z.enum(['development', 'test', 'production']).default('development'), { description: 'deployment environment' }),
  logging: loggingSection.prefault({}),
  data: dataSection.prefault({}),
  decision_engine: decisionEngineSection.prefault({}),
  sizing: sizingSection.prefault({}),
  persistence: persistenceSection.prefault({}),
  trading: tradingSection.prefault({}),
  paper_trading: paperTradingSection.prefault({}),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
