import type { Clock } from '../core/clock.js';
import { FfeError, isFfeError } from '../core/errors.js';

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
}

export interface BreakerStats {
  name: string;
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
  /** Seconds until an open circuit lets a probe through; 0 unless OPEN. */
  secondsUntilHalfOpen: number;
  lastError: string | null;
  /** ms of the last state change. */
  changedAt: number;
}

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
}

/** Synchronous on purpose: a breaker must not await storage on its hot path. */
export interface BreakerPersistence {
  load(name: string): BreakerMemory | null;
  save(m: BreakerMemory): void;
}

export const circuitOpenError = (name: string, seconds: number) =>
  new FfeError('runtime', 'CIRCUIT_OPEN', `circuit breaker "${name}" is open after repeated failures; calls are refused for another ${seconds.toFixed(0)} s`, {
    breaker: name,
  });

/**
 * CLOSED → OPEN after `failureThreshold` consecutive failures; OPEN refuses every call for
 * `openMs`; then HALF_OPEN lets exactly one probe through: success closes, failure re-opens.
 * A refused call never reaches the dependency, so callers know it was not sent.
 */
export class CircuitBreaker {
  private s: BreakerState = 'CLOSED';
  private consecutive = 0;
  private openedAt = 0;
  private probeInFlight = false;
  private changedAt: number;
  private counters = { calls: 0, successes: 0, failures: 0, rejected: 0, opens: 0 };
  private lastError: string | null = null;
  private readonly isFailure: (e: unknown) => boolean;

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
    const m = persistence?.load(name);
    if (m) {
      this.s = m.state;
      this.consecutive = m.consecutiveFailures;
      this.openedAt = m.openedAt;
      this.changedAt = m.changedAt;
      this.counters = { ...m.counters };
      this.lastError = m.lastError;
    }
  }

  private remember(): void {
    this.persistence?.save({
      name: this.name,
      state: this.s === 'CLOSED' ? 'CLOSED' : 'OPEN',
      consecutiveFailures: this.consecutive,
      openedAt: this.openedAt,
      changedAt: this.changedAt,
      counters: { ...this.counters },
      lastError: this.lastError,
    });
  }

  get state(): BreakerState {
    if (this.s === 'OPEN' && this.clock.now() - this.openedAt >= this.opts.openMs) this.move('HALF_OPEN');
    return this.s;
  }

  private move(to: BreakerState): void {
    this.s = to;
    this.changedAt = this.clock.now();
  }

  /** Runs `fn` unless the circuit refuses it (FfeError `CIRCUIT_OPEN`, thrown before `fn` is called). */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const state = this.state;
    if (state === 'OPEN' || (state === 'HALF_OPEN' && this.probeInFlight)) {
      this.counters.rejected++;
      this.remember();
      throw circuitOpenError(this.name, this.secondsUntilHalfOpen());
    }
    const probe = state === 'HALF_OPEN';
    if (probe) this.probeInFlight = true;
    this.counters.calls++;
    try {
      const out = await fn();
      this.onSuccess();
      return out;
    } catch (e) {
      if (this.isFailure(e)) this.onFailure(e, probe);
      else this.onSuccess();
      throw e;
    } finally {
      if (probe) this.probeInFlight = false;
      this.remember();
    }
  }

  private onSuccess(): void {
    this.counters.successes++;
    this.consecutive = 0;
    if (this.s !== 'CLOSED') this.move('CLOSED');
  }

  private onFailure(e: unknown, probe: boolean): void {
    this.counters.failures++;
    this.consecutive++;
    this.lastError = e instanceof Error ? e.message : String(e);
    if (probe || this.consecutive >= this.opts.failureThreshold) {
      this.openedAt = this.clock.now();
      this.counters.opens++;
      this.move('OPEN');
    }
  }

  private secondsUntilHalfOpen(): number {
    return this.s === 'OPEN' ? Math.max(0, (this.opts.openMs - (this.clock.now() - this.openedAt)) / 1000) : 0;
  }

  stats(): BreakerStats {
    const state = this.state;
    return {
      name: this.name,
      state,
      failureThreshold: this.opts.failureThreshold,
      openSeconds: this.opts.openMs / 1000,
      consecutiveFailures: this.consecutive,
      totalCalls: this.counters.calls,
      totalSuccesses: this.counters.successes,
      totalFailures: this.counters.failures,
      totalRejected: this.counters.rejected,
      opens: this.counters.opens,
      secondsUntilHalfOpen: this.secondsUntilHalfOpen(),
      lastError: this.lastError,
      changedAt: this.changedAt,
    };
  }
}

/** Every breaker of a process, by name, so status pages can list them. */
export class BreakerRegistry {
  private readonly breakers = new Map<string, CircuitBreaker>();

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
      this.breakers.set(name, b);
    }
    return b;
  }

  list(): BreakerStats[] {
    return [...this.breakers.values()].map((b) => b.stats());
  }
}
