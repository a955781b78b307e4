import type { Decision } from '../core/decision.js';
import type { NewDomainEvent } from '../core/events.js';
import type { AgentStateRepository, DecisionRepository, Store } from '../store/port.js';
import type { AgentEvent } from './types.js';

type Write = (tx: Store) => Promise<unknown>;

/**
 * The agent's own rows of a replay cycle (its events, its decisions with their DecisionMade
 * events, its run state) written in one transaction instead of one each: a replay cycle made ~8
 * small transactions, most of them state transitions. Whoever else writes (the order path, the
 * monitor, approvals) is called only after `flush`, so the store's event order is the one the
 * rows were made in. Subscribers hear of them after the commit, as before. For replays only: a
 * crash loses the rows of the cycle in progress, which a resumed replay runs again anyway.
 */
export class CycleBatch {
  private writes: Write[] = [];
  private after: (() => void)[] = [];
  /** agent_state keys written by pending rows: a read of one flushes first. */
  private readonly keys = new Set<string>();

  constructor(private readonly store: Pick<Store, 'transaction'>) {}

  add(write: Write, after?: () => void): void {
    this.writes.push(write);
    if (after) this.after.push(after);
  }

  async flush(): Promise<void> {
    if (this.writes.length === 0) return;
    const writes = this.writes;
    const after = this.after;
    this.writes = [];
    this.after = [];
    this.keys.clear();
    await this.store.transaction(async (tx) => {
      for (const w of writes) await w(tx);
    });
    for (const a of after) a();
  }

  /** An agent event: its log row (when `logged`) and its domain event. */
  record(e: AgentEvent, domain: NewDomainEvent, logged: boolean, after?: () => void): void {
    this.add(async (tx) => {
      if (logged) await tx.agentState.event(e);
      await tx.events.append(domain);
    }, after);
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
        if (this.keys.has(key)) await this.flush();
        return plain.get<T>(key);
      },
      set: async (key, value, at) => {
        // The repository stores JSON.stringify(value): a JSON copy stores the same text, at a
        // fraction of structuredClone's cost (which was most of a quiet cycle's batching).
        const copy: unknown = value === undefined ? undefined : JSON.parse(JSON.stringify(value));
        this.keys.add(key);
        this.add((tx) => tx.agentState.set(key, copy, at));
      },
      event: async (e) => this.add((tx) => tx.agentState.event(e)),
      events: async (limit) => (await this.flush(), plain.events(limit)),
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
