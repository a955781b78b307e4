import type { Clock } from '../core/clock.js';
import { FfeError, isFfeError } from '../core/errors.js';
import type { BreakerStateRepository } from '../store/ports/breakers.js';

export type BreakerState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit rejects calls before it lets one probe through. */
  openMs: number;
  /**
   * Whether an error says the dependency is unhealthy. Default: everything except errors the
   * caller caused (input, config, risk), which a healthy service also answers with.
   */
  isFailure?: (e: unknown) => boolean;
  /** The venue this breaker guards, named in its transitions and stats (null for other dependencies). */
  venue?: string | null;
}

export interface BreakerStats {
  name: string;
  venue: string | null;
  state: BreakerState;
  failureThreshold: number;
  openSeconds: number;
  consecutiveFailures: number;
  totalCalls: number;
  totalSuccesses: number;
  totalFailures: number;
  /** Calls refused without reaching the dependency. */
  totalRejected: number;
  /** How many times the circuit opened. */
  opens: number;
  /** ms the circuit last opened; null while CLOSED. */
  openedAt: number | null;
  /** ms from which a call is let through as the probe; null while CLOSED. */
  nextProbeAt: number | null;
  /** Seconds until an open circuit lets a probe through; 0 unless OPEN. */
  secondsUntilHalfOpen: number;
  lastError: string | null;
  /** ms of the last state change. */
  changedAt: number;
  /** Why the state could not be stored last time, null when it was. */
  persistenceError: string | null;
}

/** One state change, as the application publishes it (the BreakerStateChanged domain event). */
export interface BreakerTransition {
  breaker: string;
  venue: string | null;
  from: BreakerState;
  to: BreakerState;
  /** ms. */
  at: number;
  reason: string;
}

export type TransitionListener = (t: BreakerTransition) => void;

const callerFault = (e: unknown) => isFfeError(e) && (e.kind === 'input' || e.kind === 'config' || e.kind === 'risk');

/** What a breaker keeps across processes (one CLI command is one process). */
export interface BreakerMemory {
  name: string;
  /** OPEN or CLOSED; HALF_OPEN follows from `openedAt` when read. */
  state: 'OPEN' | 'CLOSED';
  consecutiveFailures: number;
  /** ms. */
  openedAt: number;
  changedAt: number;
  counters: { calls: number; successes: number; failures: number; rejected: number; opens: number };
  lastError: string | null;
  venue?: string | null;
}

/** Where breakers keep their memory between processes: the store's port (src/store/ports/breakers.ts). */
export type BreakerPersistence = BreakerStateRepository;

export const circuitOpenError = (name: string, seconds: number) =>
  new FfeError('runtime', 'CIRCUIT_OPEN', `circuit breaker "${name}" is open after repeated failures; calls are refused for another ${seconds.toFixed(0)} s`, {
    breaker: name,
  });

/** How long counter-only changes may wait for their write (ms of the breaker's clock). */
export const COUNTER_WRITE_MS = 60_000;

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Stats of a stored memory, as the breaker would report them now. */
function statsOf(m: BreakerMemory, opts: BreakerOptions, now: number, persistenceError: string | null = null): BreakerStats {
  const open = m.state === 'OPEN';
  const probeAt = m.openedAt + opts.openMs;
  const state: BreakerState = open ? (now >= probeAt ? 'HALF_OPEN' : 'OPEN') : 'CLOSED';
  return {
    name: m.name,
    venue: opts.venue ?? m.venue ?? null,
    state,
    failureThreshold: opts.failureThreshold,
    openSeconds: opts.openMs / 1000,
    consecutiveFailures: m.consecutiveFailures,
    totalCalls: m.counters.calls,
    totalSuccesses: m.counters.successes,
    totalFailures: m.counters.failures,
    totalRejected: m.counters.rejected,
    opens: m.counters.opens,
    openedAt: open ? m.openedAt : null,
    nextProbeAt: open ? probeAt : null,
    secondsUntilHalfOpen: state === 'OPEN' ? Math.max(0, (probeAt - now) / 1000) : 0,
    lastError: m.lastError,
    changedAt: m.changedAt,
    persistenceError,
  };
}

/**
 * CLOSED → OPEN after `failureThreshold` consecutive failures; OPEN refuses every call for
 * `openMs`; then HALF_OPEN lets exactly one probe through: success closes, failure re-opens.
 * A refused call never reaches the dependency, so callers know it was not sent.
 *
 * Calls that arrive while the probe is out wait for its outcome instead of being refused: a
 * command that reads an account makes several calls at once (equity, balances, positions), and
 * refusing all but the probe failed the command even when the venue had recovered. After a good
 * probe they run against the closed circuit; after a failed one they are refused like any call
 * to an open circuit. Only the probe reaches an unhealthy dependency, and it is bounded by the
 * adapter's own timeout, so the wait is too.
 *
 * The state is loaded from `persistence` before the first call and written when it changes
 * (state, failures, last error: awaited before the call returns, writes in order; a write that
 * fails is reported in `persistenceError`, never as the call's outcome, which already happened at
 * the venue). A call that changes only the counters (a healthy call, a refused one) is written at
 * most once per `COUNTER_WRITE_MS` of the breaker's clock (an agent replay: once per cycle, not
 * per venue call), and by `flush()`, which the app runs when it closes.
 */
export class CircuitBreaker {
  private s: BreakerState = 'CLOSED';
  private consecutive = 0;
  private openedAt = 0;
  /** Settles (never rejects) when the probe in flight has its outcome. */
  private probe: Promise<void> | null = null;
  private changedAt: number;
  private counters = { calls: 0, successes: 0, failures: 0, rejected: 0, opens: 0 };
  private lastError: string | null = null;
  private persistenceError: string | null = null;
  private readonly isFailure: (e: unknown) => boolean;
  private loading: Promise<void> | null = null;
  private writes: Promise<void> = Promise.resolve();
  /** What was last written, but for the counters; and when. */
  private savedKey: string | null = null;
  private savedAt = -Infinity;
  private dirty = false;
  private readonly listeners = new Set<TransitionListener>();

  constructor(
    readonly name: string,
    private readonly opts: BreakerOptions,
    private readonly clock: Pick<Clock, 'now'>,
    private readonly persistence?: BreakerPersistence,
  ) {
    if (!Number.isInteger(opts.failureThreshold) || opts.failureThreshold < 1) {
      throw new FfeError('config', 'BREAKER_INVALID', `circuit breaker "${name}": failure threshold must be a whole number ≥ 1 (got ${opts.failureThreshold})`);
    }
    if (!(opts.openMs >= 0)) throw new FfeError('config', 'BREAKER_INVALID', `circuit breaker "${name}": open time must be ≥ 0 ms (got ${opts.openMs})`);
    this.isFailure = opts.isFailure ?? ((e) => !callerFault(e));
    this.changedAt = clock.now();
  }

  get venue(): string | null {
    return this.opts.venue ?? null;
  }

  /**
   * Calls `listener` on every state change (CLOSED → OPEN, OPEN → HALF_OPEN when the first call
   * after the cool-down finds it, HALF_OPEN → CLOSED / OPEN with the probe's outcome). It runs
   * synchronously on the call path, so it must be quick; what it throws is ignored. Returns the
   * unsubscribe function.
   */
  onTransition(listener: TransitionListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Loads the stored state once; every call awaits it before looking at the state. */
  ready(): Promise<void> {
    this.loading ??= (async () => {
      if (!this.persistence) return;
      try {
        const m = await this.persistence.load(this.name);
        if (!m) return;
        this.s = m.state;
        this.consecutive = m.consecutiveFailures;
        this.openedAt = m.openedAt;
        this.changedAt = m.changedAt;
        this.counters = { ...m.counters };
        this.lastError = m.lastError;
      } catch (e) {
        // An unreadable memory starts the breaker CLOSED (as on a fresh store) and says so.
        this.persistenceError = `load: ${message(e)}`;
      }
    })();
    return this.loading;
  }

  private memory(): BreakerMemory {
    return {
      name: this.name,
      venue: this.venue,
      state: this.s === 'CLOSED' ? 'CLOSED' : 'OPEN',
      consecutiveFailures: this.consecutive,
      openedAt: this.openedAt,
      changedAt: this.changedAt,
      counters: { ...this.counters },
      lastError: this.lastError,
    };
  }

  /**
   * Queues a write of the state as it is now; resolves when that write is done. A change of the
   * counters alone waits (see the class), unless `force`.
   */
  private remember(force = false): Promise<void> {
    const p = this.persistence;
    if (!p) return Promise.resolve();
    const m = this.memory();
    const key = `${m.state}|${m.consecutiveFailures}|${m.openedAt}|${m.changedAt}|${m.lastError}`;
    const now = this.clock.now();
    if (!force && key === this.savedKey && now - this.savedAt < COUNTER_WRITE_MS) {
      this.dirty = true;
      return this.writes;
    }
    // Counters alone may wait in the store for its next transaction (see BreakerStateRepository.saveCounters).
    const counters = !force && key === this.savedKey && p.saveCounters;
    this.savedKey = key;
    this.savedAt = now;
    this.dirty = false;
    this.writes = this.writes.then(() =>
      (counters ? p.saveCounters!(m) : p.save(m)).then(
        () => void (this.persistenceError = null),
        (e: unknown) => void (this.persistenceError = `save: ${message(e)}`),
      ),
    );
    return this.writes;
  }

  /** Writes counters not yet stored; resolves when every write is done. */
  flush(): Promise<void> {
    return this.dirty ? this.remember(true) : this.writes;
  }

  get state(): BreakerState {
    if (this.s === 'OPEN' && this.clock.now() - this.openedAt >= this.opts.openMs) this.move('HALF_OPEN', `open for ${this.opts.openMs / 1000} s; the next call probes the dependency`);
    return this.s;
  }

  private move(to: BreakerState, reason: string): void {
    const from = this.s;
    this.s = to;
    this.changedAt = this.clock.now();
    if (from === to) return;
    const t: BreakerTransition = { breaker: this.name, venue: this.venue, from, to, at: this.changedAt, reason };
    for (const l of this.listeners) {
      try {
        l(t);
      } catch {
        // A listener's failure must not change the outcome of the call it observed.
      }
    }
  }

  /** Runs `fn` unless the circuit refuses it (FfeError `CIRCUIT_OPEN`, thrown before `fn` is called). */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.ready();
    // Wait out a probe in flight, then look again: it closed or re-opened the circuit.
    while (this.s === 'HALF_OPEN' && this.probe) await this.probe;
    const state = this.state;
    if (state === 'OPEN') {
      this.counters.rejected++;
      await this.remember();
      throw circuitOpenError(this.name, this.secondsUntilHalfOpen());
    }
    const isProbe = state === 'HALF_OPEN';
    let release = () => {};
    if (isProbe) this.probe = new Promise<void>((r) => (release = r));
    this.counters.calls++;
    try {
      const out = await fn();
      this.onSuccess(isProbe);
      return out;
    } catch (e) {
      if (this.isFailure(e)) this.onFailure(e, isProbe);
      else this.onSuccess(isProbe);
      throw e;
    } finally {
      // Stored before the waiting calls go on and before this call returns.
      await this.remember();
      if (isProbe) {
        this.probe = null;
        release();
      }
    }
  }

  private onSuccess(probe: boolean): void {
    this.counters.successes++;
    this.consecutive = 0;
    if (this.s !== 'CLOSED') this.move('CLOSED', probe ? 'the probe succeeded' : 'a call succeeded');
  }

  private onFailure(e: unknown, probe: boolean): void {
    this.counters.failures++;
    this.consecutive++;
    this.lastError = message(e);
    if (probe || (this.s === 'CLOSED' && this.consecutive >= this.opts.failureThreshold)) {
      this.openedAt = this.clock.now();
      this.counters.opens++;
      this.move('OPEN', probe ? `the probe failed: ${this.lastError}` : `${this.consecutive} consecutive failures; last: ${this.lastError}`);
    }
  }

  private secondsUntilHalfOpen(): number {
    return this.s === 'OPEN' ? Math.max(0, (this.opts.openMs - (this.clock.now() - this.openedAt)) / 1000) : 0;
  }

  stats(): BreakerStats {
    void this.state;
    const st = statsOf(this.memory(), this.opts, this.clock.now(), this.persistenceError);
    // The in-process state also knows HALF_OPEN with a probe in flight.
    return { ...st, state: this.s };
  }
}

/** Every breaker of a process, by name, and every breaker stored, so status pages can list them. */
export class BreakerRegistry {
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly listeners = new Set<TransitionListener>();

  constructor(
    private readonly defaults: BreakerOptions,
    private readonly clock: Pick<Clock, 'now'>,
    private readonly persistence?: BreakerPersistence,
  ) {}

  /** The breaker called `name`, created with the defaults (or `opts`) the first time. */
  get(name: string, opts?: Partial<BreakerOptions>): CircuitBreaker {
    let b = this.breakers.get(name);
    if (!b) {
      b = new CircuitBreaker(name, { ...this.defaults, ...opts }, this.clock, this.persistence);
      b.onTransition((t) => {
        for (const l of this.listeners) l(t);
      });
      this.breakers.set(name, b);
    }
    return b;
  }

  /**
   * Transitions of every breaker of this registry, those created later included: the hook the
   * application layer publishes BreakerStateChanged events from. Same rules as
   * `CircuitBreaker.onTransition`.
   */
  onTransition(listener: TransitionListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Writes every breaker's counters not yet stored (the app runs it when it closes). */
  async flush(): Promise<void> {
    await Promise.all([...this.breakers.values()].map((b) => b.flush()));
  }

  /**
   * The breakers of this process and every breaker stored by earlier ones (a live venue's circuit
   * opened by another command), by name. Stored ones not used here are read with the defaults.
   */
  async list(): Promise<BreakerStats[]> {
    await Promise.all([...this.breakers.values()].map((b) => b.ready()));
    const out = new Map<string, BreakerStats>([...this.breakers].map(([n, b]) => [n, b.stats()]));
    for (const m of (await this.persistence?.list()) ?? []) {
      if (!out.has(m.name)) out.set(m.name, statsOf(m, this.defaults, this.clock.now()));
    }
    return [...out.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
}
