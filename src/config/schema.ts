import { z } from 'zod';
import { field } from './meta.js';
import { paperTradingSection, tradingSection } from './sections/trading.js';
import { backtestSection } from './sections/backtest.js';
import { jobsSection } from './sections/jobs.js';
import { circuitBreakerSection, executionSection, riskSection } from './sections/risk.js';
import { agentSection } from './sections/agent.js';
import { authSection } from './sections/auth.js';
import { auditSection } from './sections/audit.js';
import { backupSection } from './sections/backup.js';
import { memorySection } from './sections/memory.js';
import { monitorSection } from './sections/monitor.js';
import { venuesSection } from './sections/venues.js';
import { serverSection } from './sections/server.js';
import { observabilitySection } from './sections/observability.js';
import { costsSection, dataSection, databaseSection, decisionEngineSection, loggingSection, persistenceSection, sizingSection } from './sections/core.js';
import { telegramSection } from './sections/telegram.js';
import { recommendationsSection } from './sections/recommendations.js';
import { notificationsSection } from './sections/notifications.js';
import { cassetteSection, ensembleSection, newsSection, providersSection } from './sections/providers.js';

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
  costs: costsSection.prefault({}),
  persistence: persistenceSection.prefault({}),
  database: databaseSection.prefault({}),
  trading: tradingSection.prefault({}),
  paper_trading: paperTradingSection.prefault({}),
  backtest: backtestSection.prefault({}),
  jobs: jobsSection.prefault({}),
  venues: venuesSection.prefault({}),
  risk: riskSection.prefault({}),
  execution: executionSection.prefault({}),
  circuit_breaker: circuitBreakerSection.prefault({}),
  agent: agentSection.prefault({}),
  monitor: monitorSection.prefault({}),
  memory: memorySection.prefault({}),
  providers: providersSection.default({}),
  ensemble: ensembleSection.prefault({}),
  cassette: cassetteSection.prefault({}),
  news: newsSection.prefault({}),
  auth: authSection.prefault({}),
  audit: auditSection.prefault({}),
  backup: backupSection.prefault({}),
  server: serverSection.prefault({}),
  observability: observabilitySection.prefault({}),
  telegram: telegramSection.prefault({}),
  notifications: notificationsSection.prefault({}),
  recommendations: recommendationsSection.prefault({}),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
