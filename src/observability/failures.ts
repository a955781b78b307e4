import { isFfeError } from '../core/errors.js';

/** What failed: a decision provider, a trading venue, or something nobody expected (a bug). */
export type FailureKind = 'provider' | 'venue' | 'unexpected';

export interface Failure {
  kind: FailureKind;
  /** Error-catalogue code (or a provider's failure code such as TIMEOUT). */
  code: string;
  /** The error, or the failure text; reporters scrub it before it leaves the process. */
  error: unknown;
  /** Low-cardinality context: provider, venue, asset_pair. */
  tags?: Record<string, string>;
}

type Sink = (f: Failure) => void;
let sink: Sink | null = null;

/**
 * Where the code paths report failures worth an alert. Nothing is sent until an error tracker
 * installs itself (src/observability/sentry.ts, when observability.sentry_dsn is set); the code
 * paths never load it, so they stay free of its import cost.
 */
export function reportFailure(f: Failure): void {
  if (!sink) return;
  try {
    sink(f);
  } catch {
    // Error tracking must never break the path that failed.
  }
}

/** The code of an error as reported: its catalogue code, or UNEXPECTED. */
export const failureCode = (e: unknown): string => (isFfeError(e) ? e.code : 'UNEXPECTED');

export function installFailureSink(s: Sink | null): void {
  sink = s;
}
