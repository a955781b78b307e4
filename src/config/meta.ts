import { z } from 'zod';
import { standardizeAssetPair } from '../core/pair.js';

/**
 * Schema annotations read by the loader, `config show` and `config docs`:
 * `env` names an extra environment variable (beyond the one derived from the key path),
 * `secret` marks values that are redacted everywhere they are printed.
 */
export interface FieldMeta {
  description?: string;
  env?: string;
  secret?: boolean;
}

export const field = <T extends z.ZodType>(schema: T, meta: FieldMeta): T => schema.meta(meta as Record<string, unknown>) as T;

export const secretString = (env: string, description: string) => field(z.string().default(''), { env, secret: true, description });

/** A fraction in [0, 1] (0.02 = 2 %): every ratio in the config uses this unit. */
export const fraction = (def: number, description: string) => field(z.number().min(0).max(1).default(def), { description });

/** True when the runtime knows the IANA zone (checked at load, not at the first daily reset). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function isPair(v: string): boolean {
  return pairProblem(v) === undefined;
}

/** Why a configured pair is unusable, in the words the CLI uses for the same mistake. */
export function pairProblem(v: unknown): string | undefined {
  try {
    standardizeAssetPair(v);
    return undefined;
  } catch (e) {
    return `a pair like BTCUSD or EUR/USD (${(e as Error).message})`;
  }
}
