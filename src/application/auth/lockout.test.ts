import { describe, expect, it } from 'vitest';
import { afterFailure, loginWaitMs } from './lockout.js';

const T = Date.UTC(2030, 0, 1, 0, 0, 15);

describe('lockout', () => {
  const policy = { maxFailures: 4, baseDelayMs: 1000, lockoutMs: 900_000 };

  it('the wait doubles with each failure, then the name is locked for the lockout time', () => {
    let f = afterFailure(null, 'alice', T, policy);
    const waits: number[] = [loginWaitMs(f, T, policy)];
    for (let i = 0; i < 3; i++) {
      const at = T + 100_000 * (i + 1);
      f = afterFailure(f, 'alice', at, policy);
      waits.push(loginWaitMs(f, at, policy));
    }
    expect(waits).toEqual([1000, 2000, 4000, 900_000]);
    expect(f.count).toBe(4);
    expect(f.lockedUntil).toBe(T + 300_000 + 900_000);
    expect(loginWaitMs(f, T + 300_000 + 899_000, policy)).toBe(1000);
    expect(loginWaitMs(f, T + 300_000 + 900_000, policy)).toBe(0);
  });

  it('a served lockout or an old streak starts counting over; no failures: no wait', () => {
    expect(loginWaitMs(null, T, policy)).toBe(0);
    const locked = { name: 'a', count: 4, lastFailureAt: T, lockedUntil: T + 900_000 };
    expect(afterFailure(locked, 'a', T + 900_000, policy)).toEqual({ name: 'a', count: 1, lastFailureAt: T + 900_000, lockedUntil: null });
    const old = { name: 'a', count: 3, lastFailureAt: T, lockedUntil: null };
    expect(afterFailure(old, 'a', T + 900_001, policy).count).toBe(1);
    expect(afterFailure(old, 'a', T + 10_000, policy).count).toBe(4);
  });
});
