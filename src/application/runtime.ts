import { existsSync, readdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { monotonicFactory } from 'ulid';
import { createApp, type App } from '../app/container.js';
import { FfeError, inputError } from '../core/errors.js';
import type { NewDomainEvent } from '../core/events.js';
import type { Store } from '../store/port.js';
import { EventBus } from './event-bus.js';
import { secretValues } from '../config/load.js';
import type { Clock } from '../core/clock.js';
import { redact } from '../core/redact.js';
import { dataHome, sandboxPath } from './home.js';

export interface RuntimeOptions {
  /** Extra YAML config file (`--config`). */
  configFile?: string;
  cwd?: string;
  env?: Record<string, string | undefined>;
  clock?: Clock;
  /** Open this replay sandbox's store (`<home>/sandboxes/<name>.db`) instead of the account's. */
  sandbox?: string;
  /** Open this store file instead (`run-agent --db`). */
  storePath?: string;
  /** A sandbox that does not exist yet is created (replays); otherwise naming an unknown one is an input error. */
  createSandbox?: boolean;
  /** The trading lease: how long a holder keeps it without renewing, and how long a trade waits for another holder. */
  lease?: { ttlMs?: number; waitMs?: number };
  /** How housekeeping tasks are repeated (default `repeatEvery`; tests pass one they drive by hand). */
  repeat?: Repeat;
}

/** Calls `run` every `everyMs` until the function it returns is called. */
export type Repeat = (run: () => void, everyMs: number) => () => void;

/** The default `Repeat`: an unref'd interval, which never holds the process open. */
export const repeatEvery: Repeat = (run, everyMs) => {
  const timer = setInterval(run, everyMs);
  timer.unref();
  return () => clearInterval(timer);
};

/** The lease every order of a store's accounts is placed under (one store: one data home or sandbox). */
export const TRADING_LEASE = 'trading';
const holderId = monotonicFactory();

/** Secret values per loaded config object (a config is not edited in place: a reload builds a new one). */
const SECRETS = new WeakMap<object, string[]>();

/**
 * The long-lived object every interface works through: it owns the store, market data, the
 * analysis engine, the execution and account services over exactly one guarded venue per
 * account, and the feedback loop. The CLI opens it for one command and closes it; a server keeps
 * it open. Interfaces never reach into it: they call the application's use cases (`FfeApi`).
 */
export class Runtime {
  /** Name of the sandbox this runtime's store is (null: the account's own store). */
  readonly sandbox: string | null;
  /** Domain events, published after their transaction committed. */
  readonly events = new EventBus();
  /** Who this runtime is to the lease (host, process, instance). */
  readonly holder = `${hostname()}:${process.pid}:${holderId()}`;
  private leaseTtlMs: number;
  private readonly leaseWaitMs: number;
  private held = 0;
  private renewTimer: NodeJS.Timeout | null = null;
  private readonly closers: (() => void | Promise<void>)[] = [];
  private readonly stoppers: (() => Promise<void>)[] = [];
  private readonly unsubscribe: (() => void)[] = [];
  /** Stops each housekeeping task still repeating. */
  private readonly chores = new Set<() => void>();
  private readonly repeat: Repeat;
  /** Background event writes, in order (see `background`). */
  private pending: Promise<void> = Promise.resolve();

  private constructor(
    readonly app: App,
    sandbox: string | null,
    lease: RuntimeOptions['lease'] = {},
    repeat: Repeat = repeatEvery,
  ) {
    this.sandbox = sandbox;
    this.repeat = repeat;
    this.leaseTtlMs = lease.ttlMs ?? 30_000;
    this.leaseWaitMs = lease.waitMs ?? 20_000;
    // The one way events reach subscribers: whoever changes state appends its events in the same
    // store transaction (`tx.events.append`, here or deep in a service), and the store reports
    // them once that transaction committed. Nothing publishes directly, so nothing is published
    // for a rollback, and nothing twice.
    this.unsubscribe.push(app.store.events.onCommitted((events) => this.events.publish(events)));
    // Breaker transitions happen on a venue call's path, synchronously: their event is written on
    // its own, in order. The reason may quote a venue's error: scrubbed of secrets like any output.
    this.unsubscribe.push(
      app.breakers.onTransition((t) => {
        const payload = { breaker: t.breaker, venue: t.venue, from: t.from, to: t.to, reason: redact(t.reason, this.secrets) };
        this.background(() => this.emit([{ type: 'BreakerStateChanged', at: t.at, payload }]));
      }),
    );
  }

  /** Writes events whose source cannot wait (a synchronous hook) one after another; `settled()` waits for them. */
  background(write: () => Promise<void>): void {
    this.pending = this.pending.then(write).catch(() => undefined);
  }

  /**
   * A housekeeping task of a long-lived process (a server forgetting old Idempotency-Keys): `task`
   * runs every `everyMs` until this runtime closes or the returned function is called. Runs go in
   * order with the background writes (`settled()` and `close()` wait for one in progress); a run
   * that fails is ignored, the next one tries again.
   */
  housekeeping(everyMs: number, task: () => Promise<unknown>): () => void {
    const stopRepeating = this.repeat(
      () =>
        this.background(async () => {
          await task();
        }),
      everyMs,
    );
    const stop = () => {
      this.chores.delete(stop);
      stopRepeating();
    };
    this.chores.add(stop);
    return stop;
  }

  /** Resolves once every background event write has finished. */
  settled(): Promise<void> {
    return this.pending;
  }

  static async open(opts: RuntimeOptions = {}): Promise<Runtime> {
    const cwd = opts.cwd ?? process.cwd();
    const env = opts.env ?? process.env;
    const storePath = opts.storePath ?? (opts.sandbox ? sandboxPath(dataHome(env, cwd), opts.sandbox) : undefined);
    if (opts.sandbox && !opts.storePath && !opts.createSandbox && !existsSync(storePath!)) {
      const dir = dirname(storePath!);
      const known = existsSync(dir)
        ? readdirSync(dir)
            .filter((f) => f.endsWith('.db'))
            .map((f) => f.slice(0, -3))
        : [];
      throw inputError('SANDBOX_UNKNOWN', `no sandbox "${opts.sandbox}" in ${dir}; ${known.length ? `known: ${known.join(', ')}` : 'replays create them (`ffe run-agent --replay --sandbox NAME`)'}`);
    }
    const app = await createApp({ cwd, env, clock: opts.clock, file: opts.configFile, storePath });
    return new Runtime(app, opts.sandbox ?? null, opts.lease, opts.repeat);
  }

  /** Every configured secret: interfaces scrub them from whatever leaves the process. */
  get secrets(): string[] {
    // Read on every audited event (an agent replay: thousands), and walking the schema costs ~1 ms: once per config object.
    let s = SECRETS.get(this.app.config);
    if (!s) SECRETS.set(this.app.config, (s = secretValues(this.app.config)));
    return s;
  }

  /**
   * Runs one order (execute, close) holding the store's trading lease: only the holder trades, so
   * reading positions, running the risk gate and journaling the order cannot interleave with
   * another process's on the same data home. Another holder is waited for (up to the lease wait),
   * then refused. Re-entrant within this runtime. Lease times are wall-clock (shared by processes),
   * whatever clock the runtime runs on.
   */
  async trade<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      await this.releaseLease();
    }
  }

  private async acquire(): Promise<void> {
    const leases = this.app.store.leases;
    if (this.held > 0) {
      this.held++;
      return;
    }
    const deadline = Date.now() + this.leaseWaitMs;
    for (let pause = 5; ; pause = Math.min(pause * 2, 250)) {
      if (await leases.tryAcquire(TRADING_LEASE, this.holder, this.leaseTtlMs, Date.now())) break;
      if (Date.now() >= deadline) {
        const h = await leases.holder(TRADING_LEASE, Date.now());
        throw new FfeError(
          'runtime',
          'LEASE_HELD',
          `another process is trading on this data home (${h ? `lease held by ${h.holder} until ${new Date(h.expiresAt).toISOString()}` : 'the lease was just taken'}); only the lease holder trades: try again when it is done`,
        );
      }
      await new Promise((r) => setTimeout(r, pause));
    }
    this.held = 1;
    // A long order (settle look-ups) keeps the lease alive; losing it means someone else may trade now.
    this.renewTimer = setInterval(() => void leases.renew(TRADING_LEASE, this.holder, this.leaseTtlMs, Date.now()).catch(() => undefined), Math.max(1000, this.leaseTtlMs / 3));
    this.renewTimer.unref();
  }

  private async releaseLease(): Promise<void> {
    if (--this.held > 0) return;
    if (this.renewTimer) clearInterval(this.renewTimer);
    this.renewTimer = null;
    await this.app.store.leases.release(TRADING_LEASE, this.holder);
  }

  /**
   * A long-lived server shortens the trading lease to its leader lease: a leader killed mid-order
   * leaves the trading lease behind too, and the follower taking over must not wait longer for it
   * than for leadership. The lease is renewed every third of its TTL while an order runs.
   */
  setTradingLeaseTtl(ms: number): void {
    this.leaseTtlMs = ms;
  }

  /** See `setFence`. */
  private fence: (() => Promise<void>) | null = null;

  /**
   * A check the agent's orders pass before they are journaled (the leader lease among several
   * servers: a deposed leader's order is refused). Manual orders do not pass it: any instance
   * may place them, serialised by the trading lease.
   */
  setFence(check: (() => Promise<void>) | null): void {
    this.fence = check;
  }

  /** Runs an agent order's work after the fence (inside `trade`). */
  async fenced<T>(fn: () => Promise<T>): Promise<T> {
    if (this.fence) await this.fence();
    return fn();
  }

  /** The current holder of the trading lease, if any (status views). */
  leaseHolder() {
    return this.app.store.leases.holder(TRADING_LEASE, Date.now());
  }

  /**
   * A state change and the domain events that report it, in one store transaction; the events
   * are published once it committed, with their outbox sequence numbers.
   */
  async commit<T>(fn: (tx: Store) => Promise<{ result: T; events: NewDomainEvent[] }>): Promise<T> {
    // Published by the store's commit listener (see the constructor), before this resolves.
    return this.app.store.transaction(async (tx) => {
      const r = await fn(tx);
      for (const e of r.events) await tx.events.append(e);
      return r.result;
    });
  }

  /** Events whose state change is already stored elsewhere (a backtest's progress): outbox, then published. */
  emit(events: NewDomainEvent[]): Promise<void> {
    return this.commit(async () => ({ result: undefined, events }));
  }

  async close(): Promise<void> {
    for (const stop of [...this.chores]) stop();
    // Long work (backtest jobs) stops first, while the store can still record how it ended.
    for (const fn of this.stoppers) await fn().catch(() => undefined);
    await this.settled();
    for (const u of this.unsubscribe) u();
    if (this.renewTimer) clearInterval(this.renewTimer);
    if (this.held > 0) await this.app.store.leases.release(TRADING_LEASE, this.holder).catch(() => undefined);
    await this.app.close();
    for (const fn of this.closers) await fn();
  }

  /** Runs `fn` when closing, before anything else: work in progress stops while the store is still open. */
  beforeClose(fn: () => Promise<void>): void {
    this.stoppers.push(fn);
  }

  /** Runs `fn` once the store is closed (a refused replay removes the sandbox it created). */
  afterClose(fn: () => void | Promise<void>): void {
    this.closers.push(fn);
  }
}
