import type { z } from 'zod';
import { excerpt, ProviderCallError } from './call-error.js';

/** Validates a server reply against the documented shape; anything else is INVALID_OUTPUT. */
export function expectShape<T extends z.ZodType>(schema: T, json: unknown, what: string): z.infer<T> {
  const r = schema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new ProviderCallError('INVALID_OUTPUT', `unexpected ${what} reply (${issue.path.join('.') || 'body'}: ${issue.message}): ${excerpt(JSON.stringify(json), 120)}`);
  }
  return r.data;
}

export const trimSlash = (url: string): string => url.replace(/\/+$/, '');
