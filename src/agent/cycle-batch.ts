import type { Decision } from '../core/decision.js';
import type { NewDomainEvent } from '../core/events.js';
import type { TrackedPosition } from '../monitor/types.js';
import type { AgentStateRepository, DecisionRepository, MonitorRepository, Store } from '../store/port.js';
import type { AgentEvent } from './types.js';

type Write = (tx: Store) => Promise<unknown>;

export interface CycleBatchOptions {
  /** `cycleEnd` writes the held rows once this many cycles are held (default 1: every cycle). */
  everyCycles?: number;
  /** …or once this much real time (ms) passed since the last write: a paced replay writes every cycle, watchers see rows soon. */
  maxHoldMs?: number;
}

/**
 * The agent's own rows of a replay cycle (its events, its decisions with their DecisionMade
 * events, its run state) written in one transaction instead of one each: a replay cycle made ~8
 * small transactions, most of them state transitions. Whoever else writes (the order path, the
 * monitor, approvals) is called only after `flush`, so the store's event order is the one the
 * rows were made in. Subscribers hear of them after the commit, as before. For replays only: a
 * crash loses the rows of the cycles held (see `cycleEnd`); their run state is among them, so a
 * resumed replay starts after the last cycle written and runs the lost ones again.
 */
export class CycleBatch {
  private writes: Write[] = [];
  private after: (() => void)[] = [];
  /** agent_state values set by pending rows, the last one per key: a read of one flushes first. */
  private readonly states = new Map<string, { text: string | undefined; at: number }>();
  /** Rows only their last write matters of, by key (a tracker saved on every bar of its position): run after `writes`. */
  private readonly keyed = new Map<string, Write>();
  /**
   * The last held row when it is an unlogged state transition's event: a transition of the same
   * instant right after it joins it (see `record`). Any other row ends the run.
   */
  private transition: { at: number; payload: Record<string, unknown> } | null = null;
  private held = 0;
  private flushedAt = performance.now();
  private readonly everyCycles: number;
  private readonly maxHoldMs: number;

  constructor(
    private readonly store: Pick<Store, 'transaction'>,
    opts: CycleBatchOptions = {},
  ) {
    this.everyCycles = opts.everyCycles ?? 1;
    this.maxHoldMs = opts.maxHoldMs ?? Infinity;
  }

  add(write: Write, after?: () => void): void {
    this.transition = null;
    this.writes.push(write);
    if (after) this.after.push(after);
  }

  async flush(): Promise<void> {
    this.transition = null;
    this.held = 0;
    this.flushedAt = performance.now();
    if (this.writes.length === 0 && this.states.size === 0 && this.keyed.size === 0) return;
    const writes = this.writes;
    const after = this.after;
    // Only the last value set per key is stored: the earlier ones would be overwritten in the same transaction.
    const states = [...this.states];
    const keyed = [...this.keyed.values()];
    this.writes = [];
    this.after = [];
    this.states.clear();
    this.keyed.clear();
    await this.store.transaction(async (tx) => {
      for (const w of writes) await w(tx);
      for (const w of keyed) await w(tx);
      for (const [key, s] of states) await tx.agentState.set(key, s.text === undefined ? undefined : JSON.parse(s.text), s.at);
    });
    for (const a of after) a();
  }

  /**
   * The end of a cycle: the held rows are written once `everyCycles` cycles are held or
   * `maxHoldMs` of real time passed since the last write. Held rows wait safely: every other
   * writer, and every read of what they hold, flushes first.
   */
  async cycleEnd(): Promise<void> {
    if (++this.held >= this.everyCycles || performance.now() - this.flushedAt >= this.maxHoldMs) await this.flush();
  }

  /**
   * An agent event: its log row (when `logged`) and its domain event. State transitions that
   * follow one another at one instant with nothing recorded between them are one domain event
   * (and so one audit entry): the state reached, and their messages joined with '; ' in order
   * ("IDLE → LEARNING: cycle 7; LEARNING → PERCEPTION; PERCEPTION → REASONING: BTCUSD, ETHUSD").
   * A replay cycle passes through four to seven states in the same replay millisecond, each a
   * row of its own and an audit entry of its own until now (~5.4 a cycle, two thirds of the
   * replay's events, nearly all its audit log); nobody could watch them one by one anyway, the
   * batch publishes many cycles' rows at once. Other rows (a decision, an executed order, a
   * denial) end the run, so the events keep their order. Logged transitions (into HALT) stay
   * apart. `after` still runs once per agent event.
   */
  record(e: AgentEvent, domain: NewDomainEvent, logged: boolean, after?: () => void): void {
    const joinable = !logged && e.kind === 'transition' && e.data === undefined;
    const open = this.transition;
    if (joinable && open !== null && open.at === e.at) {
      open.payload.state = e.state;
      open.payload.message = `${String(open.payload.message)}; ${e.message}`;
      if (after) this.after.push(after);
      return;
    }
    this.add(async (tx) => {
      if (logged) await tx.agentState.event(e);
      await tx.events.append(domain);
    }, after);
    if (joinable) this.transition = { at: e.at, payload: domain.payload };
  }

  /** Decisions saved through the batch, each with its event; reads see them (they flush first). */
  decisions(plain: DecisionRepository, event: (d: Decision) => NewDomainEvent): DecisionRepository {
    return {
      save: async (d) => {
        const e = event(d);
        this.add(async (tx) => {
          await tx.decisions.save(d);
          await tx.events.append(e);
        });
      },
      get: async (id) => (await this.flush(), plain.get(id)),
      list: async (q) => (await this.flush(), plain.list(q)),
      summaries: async (q) => (await this.flush(), plain.summaries(q)),
      markExecuted: async (id, x) => (await this.flush(), plain.markExecuted(id, x)),
    };
  }

  /** Agent state through the batch: a value is copied when set (the agent keeps changing its run state). */
  state(plain: AgentStateRepository): AgentStateRepository {
    return {
      get: async <T>(key: string) => {
        if (this.states.has(key)) await this.flush();
        return plain.get<T>(key);
      },
      set: async (key, value, at) => {
        // The repository stores JSON.stringify(value): the text kept now (the agent keeps changing
        // its run state) stores the same, and only the last one per key is parsed back.
        this.states.set(key, { text: value === undefined ? undefined : JSON.stringify(value), at });
      },
      event: async (e) => this.add((tx) => tx.agentState.event(e)),
      events: async (limit) => (await this.flush(), plain.events(limit)),
    };
  }

  /**
   * The monitor's trackers through the batch (a replay: its monitor is their only writer). They
   * are read from the store once, then kept here as the stored JSON text (so a read returns what
   * the store would: the same values, the same order); a save or removal is held until the next
   * flush, where only the last one per tracker is written. Without this, every cycle with a
   * position open wrote its trackers on their own and made the held rows go in first: up to three
   * commits a cycle. Closed trades' records (`addMetrics`) and the other reads go to the store,
   * after the held rows.
   */
  trackers(plain: MonitorRepository): MonitorRepository {
    let known: Map<string, { text: string; openedAt: number }> | null = null;
    const load = async () => (known ??= new Map((await plain.trackers()).map((t) => [t.key, { text: JSON.stringify(t), openedAt: t.openedAt }])));
    // The store's order: ORDER BY opened_at, key.
    const order = (a: [string, { openedAt: number }], b: [string, { openedAt: number }]) => a[1].openedAt - b[1].openedAt || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
    return {
      trackers: async () => [...(await load())].sort(order).map(([, t]) => JSON.parse(t.text) as TrackedPosition),
      saveTracker: async (t) => {
        const text = JSON.stringify(t);
        (await load()).set(t.key, { text, openedAt: t.openedAt });
        this.keyed.set(`tracker|${t.key}`, (tx) => tx.monitor.saveTracker(JSON.parse(text) as TrackedPosition));
      },
      removeTracker: async (key) => {
        (await load()).delete(key);
        this.keyed.set(`tracker|${key}`, (tx) => tx.monitor.removeTracker(key));
      },
      addMetrics: this.before((m) => plain.addMetrics(m)),
      metrics: this.before((q) => plain.metrics(q)),
      unlearned: this.before(() => plain.unlearned()),
      markLearned: this.before((id) => plain.markLearned(id)),
    };
  }

  /** `fn` run after the pending rows are written: for calls that write (or read) the store themselves. */
  before<A extends unknown[], R>(fn: (...a: A) => Promise<R>): (...a: A) => Promise<R> {
    return async (...a) => {
      await this.flush();
      return fn(...a);
    };
  }
}
