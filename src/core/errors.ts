/**
 * Error taxonomy shared by every layer. Interfaces map `exitCode` to process exit codes
 * (CLI) or HTTP statuses, so the domain decides what kind of failure it is, once.
 */
export type ErrorKind = 'input' | 'config' | 'data' | 'runtime' | 'venue' | 'provider' | 'risk';

export class FfeError extends Error {
  readonly kind: ErrorKind;
  /** Stable machine-readable code, e.g. `PAIR_INVALID`, `DATA_UNAVAILABLE`. */
  readonly code: string;
  readonly details?: Record<string, unknown>;

  constructor(kind: ErrorKind, code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'FfeError';
    this.kind = kind;
    this.code = code;
    this.details = details;
  }

  /** 2 for bad input or config (the caller can fix it), 1 for everything that failed at run time. */
  get exitCode(): 1 | 2 {
    return this.kind === 'input' || this.kind === 'config' ? 2 : 1;
  }
}

export const inputError = (code: string, message: string, details?: Record<string, unknown>) =>
  new FfeError('input', code, message, details);

export const dataError = (code: string, message: string, details?: Record<string, unknown>) =>
  new FfeError('data', code, message, details);

export const isFfeError = (e: unknown): e is FfeError => e instanceof FfeError;
