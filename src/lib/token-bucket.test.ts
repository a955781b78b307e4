import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { TokenBucket } from './token-bucket.js';

const T0 = Date.UTC(2024, 0, 1);

describe('TokenBucket', () => {
  it('starts full and lets `capacity` calls through without waiting', async () => {
    const clock = new ManualClock(T0);
    const bucket = new TokenBucket({ capacity: 3, refillPerMinute: 6, clock });
    for (let i = 0; i < 3; i++) await bucket.take();
    expect(clock.now()).toBe(T0);
    expect(bucket.tryTake()).toBe(false);
  });

  it('makes the next caller wait exactly one refill interval on the injected clock', async () => {
    const clock = new ManualClock(T0);
    const bucket = new TokenBucket({ capacity: 1, refillPerMinute: 5, clock });
    await bucket.take();
    await bucket.take();
    expect(clock.now() - T0).toBe(12_000);
    await bucket.take();
    expect(clock.now() - T0).toBe(24_000);
  });

  it('refills with elapsed time but never above capacity', () => {
    const clock = new ManualClock(T0);
    const bucket = new TokenBucket({ capacity: 2, refillPerMinute: 60, clock });
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.tryTake()).toBe(false);
    clock.set(T0 + 500);
    expect(bucket.available()).toBeCloseTo(0.5, 10);
    expect(bucket.tryTake()).toBe(false);
    clock.set(T0 + 1_000);
    expect(bucket.tryTake()).toBe(true);
    clock.set(T0 + 3_600_000);
    expect(bucket.available()).toBe(2);
  });

  it('serves queued callers in arrival order, one interval apart', async () => {
    const clock = new ManualClock(T0);
    const bucket = new TokenBucket({ capacity: 1, refillPerMinute: 2, clock });
    const done: Array<[number, number]> = [];
    await Promise.all([0, 1, 2].map((i) => bucket.take().then(() => done.push([i, clock.now() - T0]))));
    expect(done).toEqual([
      [0, 0],
      [1, 30_000],
      [2, 60_000],
    ]);
  });

  it('drain() forces the next caller to wait a full interval', async () => {
    const clock = new ManualClock(T0);
    const bucket = new TokenBucket({ capacity: 5, refillPerMinute: 5, clock });
    bucket.drain();
    await bucket.take();
    expect(clock.now() - T0).toBe(12_000);
  });

  it('rejects a queued caller whose signal aborts, and later callers still get served', async () => {
    const bucket = new TokenBucket({ capacity: 1, refillPerMinute: 60_000 * 60 }); // wall clock; refills in µs
    bucket.drain();
    const ac = new AbortController();
    ac.abort(new Error('caller gave up'));
    await expect(bucket.take(ac.signal)).rejects.toThrow('caller gave up');
    await expect(bucket.take()).resolves.toBeUndefined();
  });

  it('aborts a caller that is already sleeping for a token', async () => {
    const bucket = new TokenBucket({ capacity: 1, refillPerMinute: 1 }); // wall clock: next token in 60 s
    await bucket.take();
    const ac = new AbortController();
    const waiting = bucket.take(ac.signal);
    setTimeout(() => ac.abort(new Error('stop')), 10);
    await expect(waiting).rejects.toThrow('stop');
  });

  it('refuses a nonsensical configuration', () => {
    expect(() => new TokenBucket({ capacity: 0, refillPerMinute: 5 })).toThrow(/capacity/);
    expect(() => new TokenBucket({ capacity: 1, refillPerMinute: 0 })).toThrow(/refill/);
  });
});
