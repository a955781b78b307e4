import { z } from 'zod';
import { venueAdapters } from '../../app/registry.js';
import type { AssetClass } from '../../venues/adapter.js';
import { field } from '../meta.js';

type Registered = (typeof venueAdapters)[number];
type AdapterSections = { [A in Registered as A['kind']]: z.ZodPrefault<A['configSchema']> };

/** `paper` plus every registered venue that trades the class. */
const routable = (cls: AssetClass) => ['paper', ...venueAdapters.filter((a) => (a.assetClasses as readonly AssetClass[]).includes(cls)).map((a) => a.kind)] as [string, ...string[]];
const route = (cls: AssetClass, what: string) => {
  const names = routable(cls);
  return field(z.enum(names).default('paper'), { description: `venue for ${what} in live mode${names.length === 1 ? ` (no live ${cls} venue yet)` : ''}` });
};

/**
 * Real venues, one section per registered adapter (src/app/registry.ts), each schema owned by
 * its folder. Paper settings live in `paper_trading`. Live mode routes each asset class to the
 * venue named in `routing`; a venue named there without keys is a configuration error.
 */
export const venuesSection = z.strictObject({
  ...(Object.fromEntries(venueAdapters.map((a) => [a.kind, (a.configSchema as z.ZodObject).prefault({})])) as AdapterSections),
  routing: z
    .strictObject({
      crypto: route('crypto', 'crypto pairs'),
      forex: route('forex', 'forex pairs'),
      stock: route('stock', 'stocks'),
    })
    .prefault({}),
});
