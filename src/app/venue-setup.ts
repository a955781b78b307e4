import type { Config } from '../config/schema.js';
import type { Venue } from '../venues/port.js';
import { paperVenue, unifiedVenue, type VenueDeps } from './venue-factories.js';

export type { VenueDeps } from './venue-factories.js';

/**
 * The venue orders go to. Paper mode is always the paper account; live mode is the unified
 * venue, routing each asset class as `venues.routing` says.
 */
export function buildVenue(config: Config, deps: VenueDeps): Venue {
  return config.trading.mode === 'paper' ? paperVenue(config, deps) : unifiedVenue(config, deps);
}
