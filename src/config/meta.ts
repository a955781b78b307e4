import { z } from 'zod';

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
