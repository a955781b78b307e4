import type { ProviderFailureCode } from '../port.js';

/** Thrown by transports (HTTP, child process); the provider turns it into a typed failure result. */
export class ProviderCallError extends Error {
  constructor(
    readonly code: ProviderFailureCode,
    message: string,
    /** What the server itself said (HTTP failures), apart from the request's URL. */
    readonly detail: string | null = null,
  ) {
    super(message);
    this.name = 'ProviderCallError';
  }
}

/** Replaces every secret in a message that may leave the provider (server bodies can echo headers). */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('***');
  return out;
}

export const excerpt = (s: string, max = 200): string => {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max)}…` : one;
};
