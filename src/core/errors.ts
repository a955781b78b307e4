import { catalogueEntry, type ErrorCode } from './error-catalogue.js';

export type { ErrorCode } from './error-catalogue.js';

/**
 * Error taxonomy shared by every layer. Each code is listed once in the error catalogue
 * (error-catalogue.ts) with its exit code (CLI) and HTTP status (API), so the domain decides what
 * kind of failure it is, once, and every interface answers the same.
 */
export type ErrorKind = 'input' | 'config' | 'data' | 'runtime' | 'venue' | 'provider' | 'risk';

export class FfeError extends Error {
  /** Who noticed it (input, venue...); the catalogue's entry for the code decides the exit code and HTTP status. */
  readonly kind: ErrorKind;
  /** Stable machine-readable code from the catalogue, e.g. `PAIR_INVALID`, `VENUE_UNAVAILABLE`. */
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(kind: ErrorKind, code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'FfeError';
    this.kind = kind;
    this.code = code;
    this.details = details;
  }

  /** 2 for bad input or config (the caller can fix it), 1 for everything that failed at run time, 130 when cancelled. */
  get exitCode(): 1 | 2 | 130 {
    return catalogueEntry(this.code, this.kind).exit;
  }

  /** The status the API answers with (400 bad input, 404, 409 conflict, 422 refused, 5xx upstream or internal). */
  get httpStatus(): number {
    return catalogueEntry(this.code, this.kind).http;
  }
}

export const inputError = (code: ErrorCode, message: string, details?: Record<string, unknown>) => new FfeError('input', code, message, details);

export const dataError = (code: ErrorCode, message: string, details?: Record<string, unknown>) => new FfeError('data', code, message, details);

export const isFfeError = (e: unknown): e is FfeError => e instanceof FfeError;
