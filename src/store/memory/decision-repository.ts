import { decisionSummary, type Decision, type DecisionSummary } from '../../core/decision.js';
import type { DecisionQuery, DecisionRepository } from '../port.js';

interface Row {
  record: Decision;
  executed: boolean;
  execution: Record<string, unknown> | null;
}

/** Newest first: creation time, then id, both descending (the SQL repositories' order). */
const newestFirst = (a: Decision, b: Decision) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/**
 * Decisions in memory, for a run that owns its records and throws them away (a backtest through
 * the execution path saves one per entry signal: serialising each to SQLite was a sixth of its
 * time). Same answers as the SQL repositories (test/contract/memory.store.contract.test.ts).
 * `save` keeps a shallow copy: the saver must not change a decision's nested parts afterwards.
 * A record that is not a plain object (the engine's `decideNow` record: fields behind getters,
 * written when first read, `toJSON` the whole record) is kept as it is: a spread copies none of
 * its fields, and nothing of it changes but `executed`, which the row keeps apart. Reads hand out
 * deep copies of the plain record, as a database would.
 *
 * `keep`: how many decisions, the newest saved, it holds (default all). A backtest reads a
 * decision again only while executing it (ExecutionService marks it executed right after its
 * orders): keeping each with its analysis pulse made a 1 M-bar run hold ~1.8 GB and its GC
 * grow with the run. A decision beyond the window reads as never saved.
 *
 * With a window the rows sit in a ring of `keep` slots, not a Map that adds one key and deletes
 * the oldest at every save: such a Map's table, once in V8's old generation, is rebuilt every
 * `keep` saves into a new table there, and the table it replaces, dead but in old space until the
 * next major GC, still points at the rows it held. The scavenger takes those pointers as roots,
 * so every decision saved (with its analysis: the pulse, six indicator snapshots) outlived two
 * scavenges and was promoted: ~400 bytes of old-space garbage a bar at 1 M bars, most of the
 * run's heap growth. A ring slot is overwritten in place and holds nothing after its row.
 */
export class MemoryDecisionRepository implements DecisionRepository {
  /** Without a window: every row by id. */
  private readonly rows = new Map<string, Row>();
  private readonly keep: number;
  /** With a window: the newest `keep` rows, the one saved `n` saves ago at `(saved - 1 - n) % keep`. */
  private readonly ring: Row[] | null;
  private saved = 0;

  constructor(opts: { keep?: number } = {}) {
    this.keep = opts.keep ?? Infinity;
    this.ring = Number.isFinite(this.keep) ? [] : null;
  }

  async save(d: Decision): Promise<void> {
    this.saveNow(d);
  }

  /** `save` without a promise (a backtest saves every entry signal before executing it). */
  saveNow(d: Decision): void {
    // As the SQL upsert: the record and its flag are replaced, what an execution recorded stays.
    const known = this.find(d.id);
    const row: Row = { record: Object.getPrototypeOf(d) === Object.prototype ? { ...d } : d, executed: d.executed, execution: known?.execution ?? null };
    if (!this.ring) {
      this.rows.set(d.id, row);
      return;
    }
    if (known) this.ring[this.ring.indexOf(known)] = row;
    else this.ring[this.saved++ % this.keep] = row;
  }

  /** The kept row of `id`; with a window, searched newest first (the one being executed is the newest). */
  private find(id: string): Row | undefined {
    const ring = this.ring;
    if (!ring) return this.rows.get(id);
    for (let n = 0; n < ring.length; n++) {
      const r = ring[(this.saved - 1 - n) % this.keep];
      if (r?.record.id === id) return r;
    }
    return undefined;
  }

  /** Every kept row, in no particular order (`page` sorts). */
  private all(): Row[] {
    return this.ring ? this.ring.slice() : [...this.rows.values()];
  }

  async get(id: string): Promise<Decision | null> {
    const r = this.find(id);
    return r ? hydrate(r) : null;
  }

  async list(q: DecisionQuery = {}): Promise<Decision[]> {
    return this.page(q).map(hydrate);
  }

  async summaries(q: DecisionQuery = {}): Promise<DecisionSummary[]> {
    return this.page(q).map((r) => structuredClone({ ...decisionSummary(r.record), executed: r.executed }));
  }

  async markExecuted(id: string, execution: Record<string, unknown>): Promise<void> {
    const r = this.find(id);
    if (!r) return;
    r.executed = true;
    r.execution = execution;
  }

  private page(q: DecisionQuery): Row[] {
    const b = q.before;
    const hit = this.all().filter(({ record: d, executed }) => {
      if (q.assetPair && d.assetPair !== q.assetPair) return false;
      if (q.action && d.action !== q.action) return false;
      if (q.provider && d.provider !== q.provider) return false;
      if (q.executed !== undefined && executed !== q.executed) return false;
      return !b || d.createdAt < b.createdAt || (d.createdAt === b.createdAt && d.id < b.id);
    });
    return hit.sort((x, y) => newestFirst(x.record, y.record)).slice(0, q.limit ?? 20);
  }
}

/** The record as a plain object: its own `toJSON` (a `decideNow` record's), else itself. */
const plain = (d: Decision): Decision => {
  const json = (d as Partial<{ toJSON(): Decision }>).toJSON;
  return typeof json === 'function' ? json.call(d) : d;
};

function hydrate(r: Row): Decision {
  const d = structuredClone(plain(r.record));
  d.executed = r.executed;
  if (r.execution) d.metadata = { ...d.metadata, execution: structuredClone(r.execution) };
  return d;
}
