import type { Migration } from 'kysely';
import * as m001 from './001-foundation.js';
import * as m010 from './010-provider-cassette.js';
import * as m011 from './011-provider-usage.js';
import * as m020 from './020-paper-venue.js';
import * as m025 from './025-order-intents.js';
import * as m026 from './026-equity-snapshots.js';
import * as m027 from './027-breaker-states.js';
import * as m030 from './030-memory.js';
import * as m031 from './031-monitor.js';
import * as m032 from './032-agent.js';
import * as m040 from './040-backtest-results.js';
import * as m050 from './050-outbox-leases.js';
import * as m060 from './060-auth.js';
import * as m065 from './065-audit.js';
import * as m005 from './005-decision-summaries.js';
import * as m080 from './080-backtest-jobs.js';
import * as m029 from './029-paper-insertion-order.js';
import * as m070 from './070-idempotency.js';
import * as m090 from './090-investor.js';
import * as m092 from './092-gdpr.js';
import * as m091 from './091-fundamentals.js';

/**
 * Ordered migrations. Names sort lexically; each capability owns a number range
 * (001–009 foundation, 010–019 providers, 020–029 execution, 030–039 agent/memory,
 * 040–049 backtest, 050–059 runtime: outbox, leases). Add one line per migration.
 */
export const migrations: Record<string, Migration> = {
  '001-foundation': m001,
  '005-decision-summaries': m005,
  '010-provider-cassette': m010,
  '011-provider-usage': m011,
  '020-paper-venue': m020,
  '025-order-intents': m025,
  '026-equity-snapshots': m026,
  '027-breaker-states': m027,
  '029-paper-insertion-order': m029,
  '030-memory': m030,
  '031-monitor': m031,
  '032-agent': m032,
  '040-backtest-results': m040,
  '050-outbox-leases': m050,
  '060-auth': m060,
  '065-audit': m065,
  '080-backtest-jobs': m080,
  '070-idempotency': m070,
  '090-investor': m090,
  '092-gdpr': m092,
  '091-fundamentals': m091,
};
