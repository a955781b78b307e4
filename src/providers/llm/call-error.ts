import { excerpt as coreExcerpt } from '../../core/redact.js';
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

// Server bodies can echo headers: messages that may leave the provider go through the one redaction module.
export { redact } from '../../core/redact.js';

/** Provider messages are cut shorter than the module's default. */
export const excerpt = (s: string, max = 200): string => coreExcerpt(s, max);
