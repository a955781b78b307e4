import type { LoginFailures } from '../../store/port.js';

export interface LockoutPolicy {
  maxFailures: number;
  baseDelayMs: number;
  lockoutMs: number;
}

/**
 * How long a login for this name must wait (0: it may try now). After failure n (< max) the next
 * attempt waits base × 2^(n-1) from that failure; at max failures the name is locked for the
 * lockout time. Counted per name, known or not, so the answer does not reveal which names exist.
 */
export function loginWaitMs(f: LoginFailures | null, now: number, policy: LockoutPolicy): number {
  if (!f) return 0;
  if (f.lockedUntil !== null) return Math.max(0, f.lockedUntil - now);
  const until = f.lastFailureAt + policy.baseDelayMs * 2 ** (f.count - 1);
  return Math.max(0, until - now);
}

/** The counters after one more failure. A served lockout, or a failure streak older than the lockout time, starts over. */
export function afterFailure(prev: LoginFailures | null, name: string, now: number, policy: LockoutPolicy): LoginFailures {
  const stale = !prev || (prev.lockedUntil !== null && now >= prev.lockedUntil) || now - prev.lastFailureAt > policy.lockoutMs;
  const count = stale ? 1 : prev.count + 1;
  return { name, count, lastFailureAt: now, lockedUntil: count >= policy.maxFailures ? now + policy.lockoutMs : null };
}
