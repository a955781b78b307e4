import type { Migration } from 'kysely';
import * as m001 from './001-foundation.js';

/**
 * Ordered migrations. Names sort lexically; each capability owns a number range
 * (001–009 foundation, 010–019 providers, 020–029 execution, 030–039 agent/memory,
 * 040–049 backtest). Add one line per migration.
 */
export const migrations: Record<string, Migration> = {
  '001-foundation': m001,
};
