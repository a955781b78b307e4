import type { z } from 'zod';
import type { Venue } from './port.js';

export type AssetClass = 'crypto' | 'forex' | 'stock';

/** What a real venue is given besides its own config section. */
export interface VenueAdapterDeps {
  /** Time for look-back windows (the app clock). */
  now: () => number;
}

/**
 * A venue adapter as its folder exports it (`src/venues/<kind>/index.ts`): its config section
 * (`venues.<kind>`, zod with descriptions for `config docs`) and its factory. Registered with one
 * line in src/app/registry.ts; the config schema and live routing are assembled from the registry.
 */
export interface VenueAdapter<K extends string = string, S extends z.ZodObject = z.ZodObject> {
  kind: K;
  /** Asset classes `venues.routing` may send to it in live mode. */
  assetClasses: readonly AssetClass[];
  configSchema: S;
  /** Throws a config error naming the missing key when credentials are not set. */
  create(cfg: z.infer<S>, deps: VenueAdapterDeps): Venue;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any adapter, whatever its schema
export type AnyVenueAdapter = VenueAdapter<string, any>;

export const defineVenue = <K extends string, S extends z.ZodObject>(a: VenueAdapter<K, S>): VenueAdapter<K, S> => a;
