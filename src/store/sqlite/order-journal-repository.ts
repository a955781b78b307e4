import type { OrderSide, OrderType } from '../../core/order.js';
import { D, text, type Dec } from '../../venues/decimal.js';
import type { Session } from '../session.js';
import type { ExecutionTables, OrderIntentRow } from './execution-tables.js';
import { UNSETTLED_STATES, type IntentState, type IntentUpdate, type LegKind, type NewIntent, type OrderIntent, type PositionAdjustment } from '../../execution/intents.js';
import type { OrderJournalRepository } from '../port.js';

const toRow = (i: NewIntent, at: number): OrderIntentRow => ({
  client_order_id: i.clientOrderId,
  account: i.account,
  venue: i.venue,
  decision_id: i.decisionId,
  leg: i.leg,
  position_id: i.positionId,
  pair: i.pair,
  side: i.side,
  type: i.type,
  units: i.units,
  limit_price: i.limitPrice,
  stop_loss_price: i.stopLossPrice,
  take_profit_price: i.takeProfitPrice,
  reduce_only: i.reduceOnly ? 1 : 0,
  state: 'INTENT',
  venue_order_id: null,
  filled_units: '0',
  average_price: null,
  fees: '0',
  reason: null,
  created_at: at,
  updated_at: at,
  submitted_at: null,
});

const fromRow = (r: OrderIntentRow): OrderIntent => ({
  clientOrderId: r.client_order_id,
  account: r.account,
  venue: r.venue,
  decisionId: r.decision_id,
  leg: r.leg as LegKind,
  positionId: r.position_id,
  pair: r.pair,
  side: r.side as OrderSide,
  type: r.type as OrderType,
  units: r.units,
  limitPrice: r.limit_price,
  stopLossPrice: r.stop_loss_price,
  takeProfitPrice: r.take_profit_price,
  reduceOnly: r.reduce_only === 1,
  state: r.state as IntentState,
  venueOrderId: r.venue_order_id,
  filledUnits: r.filled_units,
  averagePrice: r.average_price,
  fees: r.fees,
  reason: r.reason,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  submittedAt: r.submitted_at === null ? null : Number(r.submitted_at),
});

/** Final states are never overwritten: a late or repeated answer cannot undo a fill. */
const FINAL: readonly IntentState[] = ['FILLED', 'REJECTED'];

export class SqliteOrderJournal implements OrderJournalRepository {
  private readonly db;

  constructor(sqlite: Session) {
    this.db = sqlite.db.withTables<ExecutionTables>();
  }

  async open(i: NewIntent, at: number): Promise<{ intent: OrderIntent; created: boolean }> {
    const res = await this.db
      .insertInto('order_intents')
      .values(toRow(i, at))
      .onConflict((oc) => oc.column('client_order_id').doNothing())
      .executeTakeFirst();
    const intent = (await this.get(i.clientOrderId))!;
    return { intent, created: Number(res.numInsertedOrUpdatedRows ?? 0) === 1 };
  }

  async get(clientOrderId: string): Promise<OrderIntent | null> {
    const r = await this.db.selectFrom('order_intents').selectAll().where('client_order_id', '=', clientOrderId).executeTakeFirst();
    return r ? fromRow(r) : null;
  }

  async claim(clientOrderId: string, at: number): Promise<boolean> {
    const res = await this.db.updateTable('order_intents').set({ state: 'SUBMITTING', submitted_at: at, updated_at: at }).where('client_order_id', '=', clientOrderId).where('state', '=', 'INTENT').executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async update(clientOrderId: string, u: IntentUpdate, at: number): Promise<OrderIntent> {
    const set: Partial<OrderIntentRow> = { state: u.state, updated_at: at };
    if (u.venueOrderId !== undefined) set.venue_order_id = u.venueOrderId;
    if (u.filledUnits !== undefined) set.filled_units = u.filledUnits;
    if (u.averagePrice !== undefined) set.average_price = u.averagePrice;
    if (u.fees !== undefined) set.fees = u.fees;
    if (u.reason !== undefined) set.reason = u.reason;
    if (u.submittedAt !== undefined) set.submitted_at = u.submittedAt;
    await this.db.updateTable('order_intents').set(set).where('client_order_id', '=', clientOrderId).where('state', 'not in', FINAL).execute();
    const row = await this.get(clientOrderId);
    if (!row) throw new Error(`order intent ${clientOrderId} is not in the journal`);
    return row;
  }

  async unsettled(account: string): Promise<OrderIntent[]> {
    const rows = await this.db.selectFrom('order_intents').selectAll().where('account', '=', account).where('state', 'in', UNSETTLED_STATES).orderBy('created_at').orderBy('client_order_id').execute();
    return rows.map(fromRow);
  }

  async list(q: { account?: string; decisionId?: string; limit?: number }): Promise<OrderIntent[]> {
    let query = this.db.selectFrom('order_intents').selectAll().orderBy('created_at', 'desc').orderBy('client_order_id', 'desc');
    if (q.account) query = query.where('account', '=', q.account);
    if (q.decisionId) query = query.where('decision_id', '=', q.decisionId);
    return (await query.limit(q.limit ?? 1000).execute()).map(fromRow);
  }

  async netPositions(account: string): Promise<Record<string, string>> {
    const fills = await this.db.selectFrom('order_intents').select(['pair', 'side', 'filled_units']).where('account', '=', account).where('filled_units', '!=', '0').execute();
    const adjustments = await this.db.selectFrom('position_adjustments').select(['pair', 'units']).where('account', '=', account).execute();
    const net = new Map<string, Dec>();
    const add = (pair: string, units: Dec) => net.set(pair, (net.get(pair) ?? new D(0)).plus(units));
    for (const f of fills) add(f.pair, new D(f.filled_units).times(f.side === 'buy' ? 1 : -1));
    for (const a of adjustments) add(a.pair, new D(a.units));
    return Object.fromEntries([...net].filter(([, u]) => !u.isZero()).map(([p, u]) => [p, text(u)]));
  }

  async adjust(a: PositionAdjustment): Promise<boolean> {
    const res = await this.db
      .insertInto('position_adjustments')
      .values({ id: a.id, account: a.account, pair: a.pair, units: a.units, reason: a.reason, created_at: a.createdAt })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async adjustmentIds(account: string): Promise<Set<string>> {
    const rows = await this.db.selectFrom('position_adjustments').select('id').where('account', '=', account).execute();
    return new Set(rows.map((r) => r.id));
  }
}
