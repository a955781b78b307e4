import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { FfeError } from '../core/errors.js';
import { BreakerRegistry, CircuitBreaker, COUNTER_WRITE_MS, type BreakerMemory, type BreakerPersistence } from './circuit-breaker.js';

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

  it('HALF_OPEN lets exactly one probe through; calls arriving meanwhile wait for it and run once it closes the circuit', async () => {
    const { b, clock } = setup();
    await failTimes(b, 3);
    clock.set(clock.now() + 60_000);
    expect(b.state).toBe('HALF_OPEN');
    let release!: () => void;
    let reached = 0;
    const probe = b.run(() => {
      reached++;
      return new Promise<string>((r) => (release = () => r('probed')));
    });
    // Two concurrent calls, as AccountService.snapshot makes: they wait, they are not refused.
    const waiting = [b.run(async () => (reached++, 'a')), b.run(async () => (reached++, 'b'))];
    await new Promise((r) => setImmediate(r));
    expect(reached).toBe(1);
    release();
    await expect(Promise.all([probe, ...waiting])).resolves.toEqual(['probed', 'a', 'b']);
    expect(reached).toBe(3);
    expect(b.stats()).toMatchObject({ state: 'CLOSED', consecutiveFailures: 0, totalRejected: 0, openedAt: null, nextProbeAt: null });
    await expect(b.run(ok)).resolves.toBe('ok');
  });

  it('calls waiting on a probe that fails are refused without reaching the dependency', async () => {
    const { b, clock } = setup();
    await failTimes(b, 3);
    clock.set(clock.now() + 60_000);
    let fail!: () => void;
    let reached = 0;
    const probe = b.run(() => {
      reached++;
      return new Promise<string>((_, j) => (fail = () => j(new Error('still down'))));
    });
    const waiting = [b.run(async () => reached++), b.run(async () => reached++)];
    await new Promise((r) => setImmediate(r));
    fail();
    await expect(probe).rejects.toThrow('still down');
    for (const w of waiting) await expect(w).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    expect(reached).toBe(1);
    expect(b.stats()).toMatchObject({ state: 'OPEN', opens: 2, totalRejected: 2, lastError: 'still down', openedAt: clock.now(), nextProbeAt: clock.now() + 60_000 });
  });

  it('reports each transition to its listeners with from, to, venue, time and reason', async () => {
    const clock = new ManualClock(1_000_000);
    const b = new CircuitBreaker('venue:live:oanda', { failureThreshold: 2, openMs: 10_000, venue: 'oanda' }, clock);
    const seen: unknown[] = [];
    b.onTransition((t) => seen.push(t));
    b.onTransition(() => {
      throw new Error('a broken listener changes nothing');
    });
    await failTimes(b, 2);
    clock.set(1_010_000);
    await expect(b.run(boom)).rejects.toThrow('connection reset');
    clock.set(1_020_000);
    await b.run(ok);
    expect(seen).toEqual([
      { breaker: 'venue:live:oanda', venue: 'oanda', from: 'CLOSED', to: 'OPEN', at: 1_000_000, reason: '2 consecutive failures; last: connection reset' },
      { breaker: 'venue:live:oanda', venue: 'oanda', from: 'OPEN', to: 'HALF_OPEN', at: 1_010_000, reason: 'open for 10 s; the next call probes the dependency' },
      { breaker: 'venue:live:oanda', venue: 'oanda', from: 'HALF_OPEN', to: 'OPEN', at: 1_010_000, reason: 'the probe failed: connection reset' },
      { breaker: 'venue:live:oanda', venue: 'oanda', from: 'OPEN', to: 'HALF_OPEN', at: 1_020_000, reason: 'open for 10 s; the next call probes the dependency' },
      { breaker: 'venue:live:oanda', venue: 'oanda', from: 'HALF_OPEN', to: 'CLOSED', at: 1_020_000, reason: 'the probe succeeded' },
    ]);
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
    await expect(b.run(() => Promise.reject(new FfeError('input', 'PAIR_INVALID', 'bad order')))).rejects.toThrow('bad order');
    expect(b.state).toBe('CLOSED');
    await expect(b.run(() => Promise.reject(new FfeError('venue', 'VENUE_UNAVAILABLE', 'down')))).rejects.toThrow('down');
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
    const list = await reg.list();
    expect(list.map((s) => [s.name, s.state, s.failureThreshold])).toEqual([
      ['data:alpha_vantage', 'CLOSED', 5],
      ['venue:paper', 'OPEN', 2],
    ]);
  });

  it('lists every stored breaker, those this process never used included, with opened-at and next probe time', async () => {
    const persistence = memoryPersistence();
    const clock = new ManualClock(7_000_000);
    const earlier = new BreakerRegistry({ failureThreshold: 1, openMs: 60_000, venue: null }, clock, persistence);
    await expect(earlier.get('venue:live:oanda', { venue: 'oanda' }).run(boom)).rejects.toThrow();
    clock.set(7_015_000);
    const now = new BreakerRegistry({ failureThreshold: 1, openMs: 60_000 }, clock, persistence);
    await now.get('venue:paper').run(ok);
    expect(await now.list()).toMatchObject([
      { name: 'venue:live:oanda', venue: 'oanda', state: 'OPEN', consecutiveFailures: 1, openedAt: 7_000_000, nextProbeAt: 7_060_000, secondsUntilHalfOpen: 45, lastError: 'connection reset' },
      { name: 'venue:paper', state: 'CLOSED', openedAt: null, nextProbeAt: null, totalSuccesses: 1 },
    ]);
  });

  it('passes the transitions of every breaker, created before or after, to its listeners', async () => {
    const reg = new BreakerRegistry({ failureThreshold: 1, openMs: 1_000 }, new ManualClock(0));
    reg.get('venue:paper', { venue: 'paper' });
    const seen: string[] = [];
    const off = reg.onTransition((t) => seen.push(`${t.venue} ${t.from}→${t.to}`));
    await expect(reg.get('venue:paper').run(boom)).rejects.toThrow();
    await expect(reg.get('venue:live:coinbase', { venue: 'coinbase' }).run(boom)).rejects.toThrow();
    off();
    await expect(reg.get('venue:live:kraken', { venue: 'kraken' }).run(boom)).rejects.toThrow();
    expect(seen).toEqual(['paper CLOSED→OPEN', 'coinbase CLOSED→OPEN']);
  });
});

function memoryPersistence(opts: { failSaves?: boolean } = {}) {
  const saved = new Map<string, BreakerMemory>();
  const persistence: BreakerPersistence & { saved: typeof saved } = {
    saved,
    load: async (n) => structuredClone(saved.get(n) ?? null),
    save: async (m) => {
      // A real store answers later than the caller's next microtask.
      await new Promise((r) => setImmediate(r));
      if (opts.failSaves) throw new Error('disk full');
      saved.set(m.name, structuredClone(m));
    },
    list: async () => [...saved.values()].sort((a, b) => a.name.localeCompare(b.name)).map((m) => structuredClone(m)),
  };
  return persistence;
}

describe('CircuitBreaker persistence', () => {
  it('a breaker in a new process (same persistence) continues where the last one stopped', async () => {
    const persistence = memoryPersistence();
    const saved = persistence.saved;
    const clock = new ManualClock(5_000_000);
    const first = new CircuitBreaker('venue:paper', { failureThreshold: 3, openMs: 60_000 }, clock, persistence);
    await failTimes(first, 3);
    expect(saved.get('venue:paper')).toMatchObject({ state: 'OPEN', consecutiveFailures: 3, openedAt: 5_000_000, counters: { calls: 3, failures: 3, opens: 1 } });

    clock.set(5_030_000);
    const second = new CircuitBreaker('venue:paper', { failureThreshold: 3, openMs: 60_000 }, clock, persistence);
    await second.ready();
    expect(second.stats()).toMatchObject({ state: 'OPEN', secondsUntilHalfOpen: 30, totalCalls: 3, lastError: 'connection reset' });
    await expect(second.run(ok)).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    expect(saved.get('venue:paper')?.counters.rejected).toBe(1);

    clock.set(5_060_000);
    const third = new CircuitBreaker('venue:paper', { failureThreshold: 3, openMs: 60_000 }, clock, persistence);
    await third.run(ok);
    expect(saved.get('venue:paper')).toMatchObject({ state: 'CLOSED', consecutiveFailures: 0, counters: { calls: 4, successes: 1 } });
  });

  it('three calls at once after the cool-down (one command reading an account) all succeed and CLOSED is stored before they return', async () => {
    const persistence = memoryPersistence();
    const clock = new ManualClock(5_000_000);
    await failTimes(new CircuitBreaker('venue:live:oanda', { failureThreshold: 3, openMs: 60_000 }, clock, persistence), 3);
    clock.set(5_060_000);
    // The next command: a fresh process, its first use of the breaker is three concurrent calls.
    const b = new CircuitBreaker('venue:live:oanda', { failureThreshold: 3, openMs: 60_000 }, clock, persistence);
    const out = await Promise.all([b.run(async () => 'equity'), b.run(async () => 'balances'), b.run(async () => 'positions')]);
    expect(out).toEqual(['equity', 'balances', 'positions']);
    // Nothing else awaited: the new state is stored; the counters of the two healthy calls after the probe wait for the flush the app runs at close.
    expect(persistence.saved.get('venue:live:oanda')).toMatchObject({ state: 'CLOSED', consecutiveFailures: 0, counters: { calls: 4, successes: 1, rejected: 0 } });
    await b.flush();
    expect(persistence.saved.get('venue:live:oanda')).toMatchObject({ state: 'CLOSED', consecutiveFailures: 0, counters: { calls: 6, successes: 3, rejected: 0 } });
  });

  it('writes a change of state at once, counters alone at most once a minute of its clock, and the rest on flush', async () => {
    const persistence = memoryPersistence();
    let saves = 0;
    const counted = { ...persistence, save: (m: BreakerMemory) => (saves++, persistence.save(m)) };
    const clock = new ManualClock(0);
    const b = new CircuitBreaker('venue:paper', { failureThreshold: 2, openMs: 60_000 }, clock, counted);
    for (let i = 0; i < 100; i++) await b.run(ok);
    expect(saves).toBe(1);
    clock.set(COUNTER_WRITE_MS);
    await b.run(ok);
    expect(saves).toBe(2);
    expect(persistence.saved.get('venue:paper')?.counters.calls).toBe(101);
    // A failure changes what the breaker would decide next: written at once, as is the opening.
    await expect(b.run(() => Promise.reject(new Error('reset')))).rejects.toThrow('reset');
    expect(persistence.saved.get('venue:paper')).toMatchObject({ consecutiveFailures: 1, lastError: 'reset' });
    await expect(b.run(() => Promise.reject(new Error('reset')))).rejects.toThrow('reset');
    expect(persistence.saved.get('venue:paper')?.state).toBe('OPEN');
    await expect(b.run(ok)).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    expect(persistence.saved.get('venue:paper')?.counters.rejected).toBe(0);
    await b.flush();
    expect(persistence.saved.get('venue:paper')?.counters).toMatchObject({ calls: 103, rejected: 1 });
  });

  it('hands a change of the counters alone to saveCounters where the store has it, and a change of state to save', async () => {
    const persistence = memoryPersistence();
    const calls: string[] = [];
    const split: BreakerPersistence = {
      ...persistence,
      save: (m) => (calls.push(`save ${m.counters.calls}`), persistence.save(m)),
      saveCounters: (m) => (calls.push(`counters ${m.counters.calls}`), persistence.save(m)),
    };
    const clock = new ManualClock(0);
    const b = new CircuitBreaker('venue:paper', { failureThreshold: 2, openMs: 60_000 }, clock, split);
    await b.run(ok);
    clock.set(COUNTER_WRITE_MS);
    await b.run(ok);
    await expect(b.run(() => Promise.reject(new Error('reset')))).rejects.toThrow('reset');
    clock.set(3 * COUNTER_WRITE_MS);
    await b.run(ok);
    await b.run(ok);
    await b.flush();
    // The first write and the failure's are states; the minute's counters go to saveCounters; flush (the app's close) saves.
    expect(calls).toEqual(['save 1', 'counters 2', 'save 3', 'save 4', 'save 5']);
  });

  it('a store that cannot save never turns the call into a failure; the breaker says why', async () => {
    const b = new CircuitBreaker('venue:paper', { failureThreshold: 3, openMs: 60_000 }, new ManualClock(0), memoryPersistence({ failSaves: true }));
    await expect(b.run(ok)).resolves.toBe('ok');
    expect(b.stats().persistenceError).toBe('save: disk full');
  });
});
