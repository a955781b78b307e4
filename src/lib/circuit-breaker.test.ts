import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { FfeError } from '../core/errors.js';
import { BreakerRegistry, CircuitBreaker, type BreakerMemory, type BreakerPersistence } from './circuit-breaker.js';

const boom = () => Promise.reject(new Error('connection reset'));
const ok = () => Promise.resolve('ok');

function setup(threshold = 3, openMs = 60_000) {
  const clock = new ManualClock(1_000_000);
  return { clock, b: new CircuitBreaker('venue:test', { failureThreshold: threshold, openMs }, clock) };
}

async function failTimes(b: CircuitBreaker, n: number) {
  for (let i = 0; i < n; i++) await expect(b.run(boom)).rejects.toThrow('connection reset');
}

describe('CircuitBreaker', () => {
  it('stays CLOSED below the threshold and opens on the third consecutive failure', async () => {
    const { b } = setup();
    await failTimes(b, 2);
    expect(b.state).toBe('CLOSED');
    expect(b.stats().consecutiveFailures).toBe(2);
    await failTimes(b, 1);
    expect(b.state).toBe('OPEN');
    expect(b.stats()).toMatchObject({ opens: 1, totalFailures: 3, totalCalls: 3, lastError: 'connection reset', secondsUntilHalfOpen: 60 });
  });

  it('a success in between resets the consecutive count', async () => {
    const { b } = setup();
    await failTimes(b, 2);
    await b.run(ok);
    await failTimes(b, 2);
    expect(b.state).toBe('CLOSED');
    expect(b.stats().consecutiveFailures).toBe(2);
  });

  it('OPEN refuses immediately without calling the dependency, for the whole open time', async () => {
    const { b, clock } = setup();
    await failTimes(b, 3);
    let called = 0;
    const fn = async () => {
      called++;
      return 1;
    };
    await expect(b.run(fn)).rejects.toMatchObject({ code: 'CIRCUIT_OPEN', kind: 'runtime' });
    clock.set(clock.now() + 59_999);
    await expect(b.run(fn)).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    expect(b.stats().secondsUntilHalfOpen).toBeCloseTo(0.001, 3);
    expect(called).toBe(0);
    expect(b.stats().totalRejected).toBe(2);
  });

  it('HALF_OPEN lets exactly one probe through; its success closes the circuit', async () => {
    const { b, clock } = setup();
    await failTimes(b, 3);
    clock.set(clock.now() + 60_000);
    expect(b.state).toBe('HALF_OPEN');
    let release!: () => void;
    const probe = b.run(() => new Promise<string>((r) => (release = () => r('probed'))));
    // A concurrent call while the probe is out is refused.
    await expect(b.run(ok)).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    release();
    await expect(probe).resolves.toBe('probed');
    expect(b.state).toBe('CLOSED');
    expect(b.stats().consecutiveFailures).toBe(0);
    await expect(b.run(ok)).resolves.toBe('ok');
  });

  it('a failed probe re-opens the circuit for another full period', async () => {
    const { b, clock } = setup();
    await failTimes(b, 3);
    clock.set(clock.now() + 60_000);
    await failTimes(b, 1);
    expect(b.state).toBe('OPEN');
    expect(b.stats().opens).toBe(2);
    clock.set(clock.now() + 30_000);
    expect(b.state).toBe('OPEN');
    clock.set(clock.now() + 30_000);
    expect(b.state).toBe('HALF_OPEN');
  });

  it('errors the caller caused do not count as failures', async () => {
    const { b } = setup(1);
    await expect(b.run(() => Promise.reject(new FfeError('input', 'BAD', 'bad order')))).rejects.toThrow('bad order');
    expect(b.state).toBe('CLOSED');
    await expect(b.run(() => Promise.reject(new FfeError('venue', 'HTTP_503', 'down')))).rejects.toThrow('down');
    expect(b.state).toBe('OPEN');
  });

  it('rejects invalid thresholds as config errors', () => {
    expect(() => new CircuitBreaker('x', { failureThreshold: 0, openMs: 1 }, new ManualClock(0))).toThrow(/whole number ≥ 1/);
  });
});

describe('BreakerRegistry', () => {
  it('returns one breaker per name and lists their stats', async () => {
    const reg = new BreakerRegistry({ failureThreshold: 2, openMs: 10_000 }, new ManualClock(0));
    const a = reg.get('venue:paper');
    expect(reg.get('venue:paper')).toBe(a);
    reg.get('data:alpha_vantage', { failureThreshold: 5 });
    await expect(a.run(boom)).rejects.toThrow();
    await expect(a.run(boom)).rejects.toThrow();
    const list = reg.list();
    expect(list.map((s) => [s.name, s.state, s.failureThreshold])).toEqual([
      ['venue:paper', 'OPEN', 2],
      ['data:alpha_vantage', 'CLOSED', 5],
    ]);
  });
});

describe('CircuitBreaker persistence', () => {
  it('a breaker in a new process (same persistence) continues where the last one stopped', async () => {
    const saved = new Map<string, BreakerMemory>();
    const persistence: BreakerPersistence = { load: (n) => saved.get(n) ?? null, save: (m) => void saved.set(m.name, structuredClone(m)) };
    const clock = new ManualClock(5_000_000);
    const first = new CircuitBreaker('venue:paper', { failureThreshold: 3, openMs: 60_000 }, clock, persistence);
    await failTimes(first, 3);
    expect(saved.get('venue:paper')).toMatchObject({ state: 'OPEN', consecutiveFailures: 3, openedAt: 5_000_000, counters: { calls: 3, failures: 3, opens: 1 } });

    clock.set(5_030_000);
    const second = new CircuitBreaker('venue:paper', { failureThreshold: 3, openMs: 60_000 }, clock, persistence);
    expect(second.stats()).toMatchObject({ state: 'OPEN', secondsUntilHalfOpen: 30, totalCalls: 3, lastError: 'connection reset' });
    await expect(second.run(ok)).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    expect(saved.get('venue:paper')?.counters.rejected).toBe(1);

    clock.set(5_060_000);
    const third = new CircuitBreaker('venue:paper', { failureThreshold: 3, openMs: 60_000 }, clock, persistence);
    expect(third.state).toBe('HALF_OPEN');
    await third.run(ok);
    expect(saved.get('venue:paper')).toMatchObject({ state: 'CLOSED', consecutiveFailures: 0, counters: { calls: 4, successes: 1 } });
  });
});
