import type { Clock } from '../core/clock.js';

export interface BackoffPolicy {
  attempts: number;
  baseMs: number;
  maxMs: number;
}

/** Delay before retry `n` (0-based): min(base·2ⁿ, max) plus up to 10 % jitter so retries do not align. */
export const backoffDelay = (p: BackoffPolicy, n: number, random: () => number = Math.random): number => {
  const d = Math.min(p.baseMs * 2 ** n, p.maxMs);
  return d + d * 0.1 * random();
};

export interface RetryResult<T> {
  value?: T;
  error?: unknown;
  attempts: number;
}

/**
 * Runs `fn` up to `attempts` times, sleeping on `clock` between tries; never throws. An aborted
 * signal stops between tries.
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, p: BackoffPolicy, clock: Clock, opts: { random?: () => number; signal?: AbortSignal } = {}): Promise<RetryResult<T>> {
  let error: unknown;
  for (let i = 0; i < p.attempts; i++) {
    try {
      return { value: await fn(i + 1), attempts: i + 1 };
    } catch (e) {
      error = e;
    }
    if (i + 1 < p.attempts && !opts.signal?.aborted) {
      try {
        await clock.sleep(backoffDelay(p, i, opts.random), opts.signal);
      } catch {
        return { error, attempts: i + 1 };
      }
    }
    if (opts.signal?.aborted) return { error, attempts: i + 1 };
  }
  return { error, attempts: p.attempts };
}
