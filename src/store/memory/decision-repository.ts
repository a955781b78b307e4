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
 * Reads hand out deep copies, as a database would.
 *
 * `keep`: how many decisions, the newest saved, it holds (default all). A backtest reads a
 * decision again only while executing it (ExecutionService marks it executed right after its
 * orders): keeping each with its analysis pulse made a 1 M-bar run hold ~1.8 GB and its GC
 * grow with the run. A decision beyond the window reads as never saved.
 */
export class MemoryDecisionRepository implements DecisionRepository {
  private readonly rows = new Map<string, Row>();
  private readonly keep: number;

  constructor(opts: { keep?: number } = {}) {
    this.keep = opts.keep ?? Infinity;
  }

  async save(d: Decision): Promise<void> {
    // As the SQL upsert: the record and its flag are replaced, what an execution recorded stays.
    this.rows.set(d.id, { record: { ...d }, executed: d.executed, execution: this.rows.get(d.id)?.execution ?? null });
    // A Map iterates in insertion order: its first key is the oldest decision saved.
    if (this.rows.size > this.keep) this.rows.delete(this.rows.keys().next().value!);
  }

  async get(id: string): Promise<Decision | null> {
    const r = this.rows.get(id);
    return r ? hydrate(r) : null;
  }

  async list(q: DecisionQuery = {}): Promise<Decision[]> {
    return this.page(q).map(hydrate);
  }

  async summaries(q: DecisionQuery = {}): Promise<DecisionSummary[]> {
    return this.page(q).map((r) => structuredClone({ ...decisionSummary(r.record), executed: r.executed }));
  }

  async markExecuted(id: string, execution: Record<string, unknown>): Promise<void> {
    const r = this.rows.get(id);
    if (!r) return;
    r.executed = true;
    r.execution = execution;
  }

  private page(q: DecisionQuery): Row[] {
    const b = q.before;
    const hit = [...this.rows.values()].filter(({ record: d, executed }) => {
      if (q.assetPair && d.assetPair !== q.assetPair) return false;
      if (q.action && d.action !== q.action) return false;
      if (q.provider && d.provider !== q.provider) return false;
      if (q.executed !== undefined && executed !== q.executed) return false;
      return !b || d.createdAt < b.createdAt || (d.createdAt === b.createdAt && d.id < b.id);
    });
    return hit.sort((x, y) => newestFirst(x.record, y.record)).slice(0, q.limit ?? 20);
  }
}

function hydrate(r: Row): Decision {
  const d = structuredClone(r.record);
  d.executed = r.executed;
  if (r.execution) d.metadata = { ...d.metadata, execution: structuredClone(r.execution) };
  return d;
}
