import { UNSETTLED_STATES, type IntentState, type IntentUpdate, type NewIntent, type OrderIntent, type PositionAdjustment } from '../../execution/intents.js';
import { D, text, type Dec } from '../../venues/decimal.js';
import type { OrderJournalRepository } from '../port.js';

/** Final states are never overwritten: a late or repeated answer cannot undo a fill. */
const FINAL: ReadonlySet<IntentState> = new Set(['FILLED', 'REJECTED']);
const UNSETTLED: ReadonlySet<IntentState> = new Set(UNSETTLED_STATES);

/** Oldest first: creation time, then client order id (the SQL repositories' order). */
const oldestFirst = (a: OrderIntent, b: OrderIntent) => a.createdAt - b.createdAt || (a.clientOrderId < b.clientOrderId ? -1 : a.clientOrderId > b.clientOrderId ? 1 : 0);

/**
 * The order journal in memory, for a run that owns its journal and throws it away (a backtest
 * through the execution path: the same ExecutionService and submitter, the same journal port,
 * the same states; only the rows live in the process). Each call is one synchronous step, so
 * an id is opened or claimed exactly once. Same answers as the SQL repositories
 * (test/contract/memory.store.contract.test.ts). Rows are handed out as copies.
 */
export class MemoryOrderJournal implements OrderJournalRepository {
  private readonly rows = new Map<string, OrderIntent>();
  /** Client order ids per decision: ExecutionService asks for a decision's orders before sending any. */
  private readonly byDecision = new Map<string, string[]>();
  private readonly adjustments = new Map<string, PositionAdjustment>();

  async open(i: NewIntent, at: number): Promise<{ intent: OrderIntent; created: boolean }> {
    const known = this.rows.get(i.clientOrderId);
    if (known) return { intent: { ...known }, created: false };
    const row: OrderIntent = { ...i, state: 'INTENT', venueOrderId: null, filledUnits: '0', averagePrice: null, fees: '0', reason: null, createdAt: at, updatedAt: at, submittedAt: null };
    this.rows.set(i.clientOrderId, row);
    if (i.decisionId !== null) {
      const ids = this.byDecision.get(i.decisionId);
      if (ids) ids.push(i.clientOrderId);
      else this.byDecision.set(i.decisionId, [i.clientOrderId]);
    }
    return { intent: { ...row }, created: true };
  }

  async get(clientOrderId: string): Promise<OrderIntent | null> {
    const r = this.rows.get(clientOrderId);
    return r ? { ...r } : null;
  }

  async claim(clientOrderId: string, at: number): Promise<boolean> {
    const r = this.rows.get(clientOrderId);
    if (r?.state !== 'INTENT') return false;
    Object.assign(r, { state: 'SUBMITTING', submittedAt: at, updatedAt: at });
    return true;
  }

  async update(clientOrderId: string, u: IntentUpdate, at: number): Promise<OrderIntent> {
    const r = this.rows.get(clientOrderId);
    if (!r) throw new Error(`order intent ${clientOrderId} is not in the journal`);
    if (FINAL.has(r.state)) return { ...r };
    r.state = u.state;
    r.updatedAt = at;
    if (u.venueOrderId !== undefined) r.venueOrderId = u.venueOrderId;
    if (u.filledUnits !== undefined) r.filledUnits = u.filledUnits;
    if (u.averagePrice !== undefined) r.averagePrice = u.averagePrice;
    if (u.fees !== undefined) r.fees = u.fees;
    if (u.reason !== undefined) r.reason = u.reason;
    if (u.submittedAt !== undefined) r.submittedAt = u.submittedAt;
    return { ...r };
  }

  async unsettled(account: string): Promise<OrderIntent[]> {
    return [...this.rows.values()]
      .filter((r) => r.account === account && UNSETTLED.has(r.state))
      .sort(oldestFirst)
      .map((r) => ({ ...r }));
  }

  async list(q: { account?: string; decisionId?: string; limit?: number }): Promise<OrderIntent[]> {
    return this.listNow(q);
  }

  /** list() without a promise: the order path asks it for every decision it executes (a backtest's refused entries included). */
  listNow(q: { account?: string; decisionId?: string; limit?: number }): OrderIntent[] {
    const ids = q.decisionId ? this.byDecision.get(q.decisionId) : undefined;
    // A decision never journaled (every entry a backtest's gate refuses): nothing to copy or sort.
    if (q.decisionId && !ids) return [];
    const from = ids ? ids.map((id) => this.rows.get(id)!) : [...this.rows.values()];
    return from
      .filter((r) => !q.account || r.account === q.account)
      .sort((a, b) => oldestFirst(b, a))
      .slice(0, q.limit ?? 1000)
      .map((r) => ({ ...r }));
  }

  async netPositions(account: string): Promise<Record<string, string>> {
    const net = new Map<string, Dec>();
    const add = (pair: string, units: Dec) => net.set(pair, (net.get(pair) ?? new D(0)).plus(units));
    for (const r of this.rows.values()) if (r.account === account && r.filledUnits !== '0') add(r.pair, new D(r.filledUnits).times(r.side === 'buy' ? 1 : -1));
    for (const a of this.adjustments.values()) if (a.account === account) add(a.pair, new D(a.units));
    return Object.fromEntries([...net].filter(([, u]) => !u.isZero()).map(([p, u]) => [p, text(u)]));
  }

  async adjust(a: PositionAdjustment): Promise<boolean> {
    if (this.adjustments.has(a.id)) return false;
    this.adjustments.set(a.id, { ...a });
    return true;
  }

  async adjustmentIds(account: string): Promise<Set<string>> {
    return new Set([...this.adjustments.values()].filter((a) => a.account === account).map((a) => a.id));
  }
}
