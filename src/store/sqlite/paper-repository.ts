import { sql } from 'kysely';
import type { CompiledQuery } from 'kysely';
import type { OrderSide, OrderStatus, OrderType, PositionSide } from '../../core/order.js';
import type { Session } from '../session.js';
import { sqliteFast } from './database.js';
import { deferredValue, deferWrite } from './deferred-writes.js';
import { prepared, runPrepared } from './prepared.js';
import { paperMarked, paperWrote, rememberingBook } from './paper-memo.js';
import { readSnapshot } from './transaction.js';
import type { PaperAccountRecord, PaperBook, PaperFillRecord, PaperOrderRecord, PaperPositionRecord, PaperRepository } from '../port.js';

// Ties within one instant keep the order things happened in: ids are random in their low bits, and
// several venue objects (execution, monitor) may write the same account, so id order is not event order.
// SQLite's rowid; PostgreSQL has none, so migration 090 gives its paper tables an identity column.
const insertionOrder = (s: Session) => (s.dialect === 'sqlite' ? sql`rowid` : sql`ins_seq`);

export type PaperAccountRow = { id: string; currency: string; cash: string; initial_cash: string; created_at: number };
export type PaperOrderRow = {
  id: string;
  account_id: string;
  client_order_id: string;
  pair: string;
  side: string;
  type: string;
  units: string;
  filled_units: string;
  average_price: string | null;
  limit_price: string | null;
  stop_loss_price: string | null;
  take_profit_price: string | null;
  reduce_only: number;
  status: string;
  reason: string | null;
  fees: string;
  created_at: number;
  updated_at: number;
};
export type PaperPositionRow = {
  account_id: string;
  pair: string;
  side: string;
  units: string;
  entry_price: string;
  opened_at: number;
  stop_loss_price: string | null;
  take_profit_price: string | null;
};
export type PaperMarkRow = { account_id: string; pair: string; price: string };
export type PaperFillRow = {
  id: string;
  account_id: string;
  order_id: string;
  client_order_id: string;
  pair: string;
  side: string;
  units: string;
  price: string;
  fee: string;
  fee_currency: string;
  realized_pnl: string;
  ts: number;
};
export type PaperTables = {
  paper_accounts: PaperAccountRow;
  paper_orders: PaperOrderRow;
  paper_positions: PaperPositionRow;
  paper_marks: PaperMarkRow;
  paper_fills: PaperFillRow;
};

const toOrder = (r: PaperOrderRow): PaperOrderRecord => ({
  venueOrderId: r.id,
  clientOrderId: r.client_order_id,
  pair: r.pair,
  side: r.side as OrderSide,
  type: r.type as OrderType,
  units: r.units,
  filledUnits: r.filled_units,
  averagePrice: r.average_price,
  limitPrice: r.limit_price,
  status: r.status as OrderStatus,
  createdAt: Number(r.created_at),
  fees: r.fees,
  ...(r.reason !== null ? { reason: r.reason } : {}),
  stopLossPrice: r.stop_loss_price,
  takeProfitPrice: r.take_profit_price,
  reduceOnly: r.reduce_only === 1,
  updatedAt: Number(r.updated_at),
});

const toFill = (r: PaperFillRow): PaperFillRecord => ({
  fillId: r.id,
  venueOrderId: r.order_id,
  clientOrderId: r.client_order_id,
  pair: r.pair,
  side: r.side as OrderSide,
  units: r.units,
  price: r.price,
  fee: r.fee,
  feeCurrency: r.fee_currency,
  timestamp: Number(r.ts),
  realizedPnl: r.realized_pnl,
});

/** Sets the mark of `pair` only while the account holds no position and no resting order in it (see markIdle). */
function idleMark(s: Session, accountId: string, pair: string, price: string): CompiledQuery {
  const text = (v: string) => sql`cast(${v} as text)`;
  return sql`insert into paper_marks (account_id, pair, price)
    select ${text(accountId)}, ${text(pair)}, ${text(price)}
    where exists (select 1 from paper_accounts where id = ${accountId})
      and not exists (select 1 from paper_positions where account_id = ${accountId} and pair = ${pair})
      and not exists (select 1 from paper_orders where account_id = ${accountId} and pair = ${pair} and status in ('open', 'partially_filled'))
    on conflict (account_id, pair) do update set price = excluded.price`.compile(s.db);
}

/**
 * idleMark's statement on SQLite, as fixed SQL (every idle bar of a replay runs it: compiling the
 * template each time cost as much as the rest of the bar). Parameters: idleMarkParams.
 */
const IDLE_MARK_SQL = `insert into paper_marks (account_id, pair, price)
    select cast(? as text), cast(? as text), cast(? as text)
    where exists (select 1 from paper_accounts where id = ?)
      and not exists (select 1 from paper_positions where account_id = ? and pair = ?)
      and not exists (select 1 from paper_orders where account_id = ? and pair = ? and status in ('open', 'partially_filled'))
    on conflict (account_id, pair) do update set price = excluded.price`;
const idleMarkParams = (accountId: string, pair: string, price: string) => [accountId, pair, price, accountId, accountId, pair, accountId, pair];

/** The mark upsert every bar of a held pair runs (the same upsert Kysely builds in setMark for other engines). */
const SET_MARK_SQL = 'INSERT INTO paper_marks (account_id, pair, price) VALUES (?, ?, ?) ON CONFLICT (account_id, pair) DO UPDATE SET price = excluded.price';

/** The key of a mark's deferred write: markIdle's and markQuiet's replace each other (the last price is the mark). */
const markKey = (accountId: string, pair: string) => `paper_marks|${accountId}|${pair}`;

/**
 * The compiled form of the reads that run on every venue call, by dialect and key (their SQL and
 * parameters never change): shared by every repository instance, a store transaction's copies
 * included, so a transaction does not compile them again.
 */
const compiledReads = new Map<string, CompiledQuery>();

/**
 * Paper accounts in SQLite. Queries are built with Kysely (typed) but run through better-sqlite3
 * statements prepared once per connection (prepared.ts): inside `transact` the connection is held
 * by the transaction, so nothing else runs on it between them, and the book's methods answer at
 * once (async only for the port's sake).
 */
export class SqlitePaperRepository implements PaperRepository {
  private readonly db;
  private readonly opened = new Set<string>();

  constructor(private readonly sqlite: Session) {
    this.db = sqlite.db.withTables<PaperTables>();
  }

  private stmt(q: CompiledQuery) {
    return prepared(sqliteFast(this.sqlite)!.raw, q.sql);
  }
  // better-sqlite3 binds an array as the anonymous parameters; other engines run the compiled query on the transaction's connection.
  private all = async <R>(s: Session, q: CompiledQuery<R>): Promise<R[]> => (sqliteFast(s) ? (this.stmt(q).all(q.parameters) as R[]) : (await s.db.executeQuery(q)).rows);
  private run = async (s: Session, q: CompiledQuery) => {
    const fast = sqliteFast(s);
    if (fast) {
      paperWrote(fast.raw);
      this.stmt(q).run(q.parameters);
    } else await s.db.executeQuery(q);
  };
  private get = async <R>(s: Session, q: CompiledQuery<R>) => (await this.all(s, q))[0] as R | undefined;

  transact<T>(accountId: string, opening: { currency: string; cash: string; now: number }, fn: (book: PaperBook) => Promise<T>): Promise<T> {
    // A transaction of its own (or a savepoint inside the store transaction this repository belongs to):
    // IMMEDIATE takes the write lock up front, so two processes cannot both pass the same check.
    // The account row is written once per repository: after a committed top-level transaction
    // created (or found) it, later ones skip the insert (paper accounts are never deleted).
    const known = this.opened.has(accountId);
    const out = this.sqlite.transaction(async (tx) => {
      if (!known) {
        await this.run(
          tx,
          this.db
            .insertInto('paper_accounts')
            .values({ id: accountId, currency: opening.currency, cash: opening.cash, initial_cash: opening.cash, created_at: opening.now })
            .onConflict((oc) => oc.column('id').doNothing())
            .compile(),
        );
      }
      return fn(this.book(accountId, tx));
    });
    if (known || this.sqlite.tx) return out;
    return out.then((r) => (this.opened.add(accountId), r));
  }

  /**
   * Reads without the write lock (see the port). An account not yet known to exist is opened
   * through `transact` first; inside a store transaction this is a savepoint of it. PostgreSQL
   * reads a snapshot (pgSnapshot). On SQLite,
   * what the book read before and no write changed since is answered from memory (paper-memo.ts);
   * should the book change while `fn` reads, `fn` runs again on one deferred snapshot.
   */
  view<T>(accountId: string, opening: { currency: string; cash: string; now: number }, fn: (book: PaperBook) => Promise<T>): Promise<T> {
    const fast = sqliteFast(this.sqlite);
    if (this.sqlite.tx || !this.opened.has(accountId)) return this.transact(accountId, opening, fn);
    if (!fast) return this.pgSnapshot(accountId, fn);
    const snapshot = () => readSnapshot(fast, () => fn(this.book(accountId, fast)));
    const memo = rememberingBook(fast.raw, accountId, this.book(accountId, fast));
    if (!memo) return snapshot();
    let out: Promise<T>;
    try {
      out = fn(memo.book);
    } catch (e) {
      out = Promise.reject(e as Error);
    }
    return out.then(
      (r) => (memo.stale() ? snapshot() : r),
      (e: unknown) => {
        if (memo.stale()) return snapshot();
        throw e;
      },
    );
  }

  /**
   * A view on PostgreSQL: one read-only REPEATABLE READ transaction on a pooled connection, without
   * the store's write lock (transactions take it as their first statement), so it neither waits
   * for a writer nor holds one up.
   */
  private pgSnapshot<T>(accountId: string, fn: (book: PaperBook) => Promise<T>): Promise<T> {
    const root = this.sqlite;
    return root.db.connection().execute(async (conn) => {
      await sql`begin transaction isolation level repeatable read read only`.execute(conn);
      try {
        const out = await fn(this.book(accountId, { db: conn, dialect: root.dialect, path: root.path, transaction: () => Promise.reject(new Error('paper view: read-only')) }));
        await sql`commit`.execute(conn);
        return out;
      } catch (e) {
        await sql`rollback`.execute(conn).catch(() => {});
        throw e;
      }
    });
  }

  /**
   * See the port. On SQLite, for an account this repository opened, when the remembered book (paper-memo.ts) shows the pair idle, the
   * mark waits for the next transaction on the connection (deferred-writes.ts), keyed by account
   * and pair so only the last price is written: a replay's idle bars commit nothing of their own.
   * Otherwise, and on PostgreSQL, one statement decides and writes. Either way the write checks
   * idleness itself when it runs. A mark of a pair without a position changes no read the venue
   * makes (positions join their own marks only), so remembered reads stay valid.
   */
  async markIdle(accountId: string, pair: string, price: string): Promise<boolean> {
    const fast = sqliteFast(this.sqlite);
    if (!fast) return ((await this.sqlite.db.executeQuery(idleMark(this.sqlite, accountId, pair, price))).numAffectedRows ?? 0n) > 0n;
    // Only an account known to exist (paper accounts are never deleted) may be answered before the write runs.
    const memo = fast.tx || !this.opened.has(accountId) ? null : rememberingBook(fast.raw, accountId, this.book(accountId, fast));
    if (memo) {
      const idle = await Promise.all([memo.book.position(pair), memo.book.openOrders(pair)]).then(
        ([p, o]) => p === null && o.length === 0,
        () => null,
      );
      if (idle === false) return false;
      if (idle && !memo.stale()) {
        const raw = fast.raw;
        deferWrite(raw, markKey(accountId, pair), () => prepared(raw, IDLE_MARK_SQL).run(idleMarkParams(accountId, pair, price)));
        return true;
      }
    }
    return (await runPrepared(fast, IDLE_MARK_SQL, idleMarkParams(accountId, pair, price))).changes > 0;
  }

  /**
   * See the port. On SQLite outside a transaction, the mark waits for the next transaction on the
   * connection (deferred-writes.ts), keyed as markIdle's, and the book's reads of positions answer
   * with it meanwhile (positionRows), so they read what a committed mark would give; remembered
   * position reads count as changed, the account's other remembered reads do not (paperMarked in
   * paper-memo.ts). An agent replay's held position made a transaction of every bar.
   */
  async markQuiet(accountId: string, pair: string, price: string): Promise<void> {
    const fast = sqliteFast(this.sqlite);
    if (!fast) return this.book(accountId, this.sqlite).setMark(pair, price);
    const raw = fast.raw;
    // In a transaction (this repository's, or another flow's open on the connection): written in it, or once it ended.
    if (fast.tx || raw.inTransaction) {
      paperWrote(raw);
      await runPrepared(fast, SET_MARK_SQL, [accountId, pair, price]);
      return;
    }
    // Only the account's position reads answer with it: its remembered reads of cash and orders stay.
    paperMarked(raw, accountId);
    deferWrite(raw, markKey(accountId, pair), () => prepared(raw, SET_MARK_SQL).run([accountId, pair, price]), price);
  }

  /** The compiled form of a read that runs on every venue call, built once (its SQL and parameters never change). */
  private compiled<R>(key: string, build: () => CompiledQuery<R>): CompiledQuery<R> {
    const k = `${this.sqlite.dialect}|${key}`;
    let q = compiledReads.get(k);
    if (!q) {
      q = build();
      compiledReads.set(k, q);
    }
    return q as CompiledQuery<R>;
  }

  private book(accountId: string, s: Session): PaperBook {
    const db = this.db;
    const orders = () => db.selectFrom('paper_orders').selectAll().where('account_id', '=', accountId);
    return {
      account: async (): Promise<PaperAccountRecord> => {
        const r = (await this.get(
          s,
          this.compiled(`account|${accountId}`, () => db.selectFrom('paper_accounts').selectAll().where('id', '=', accountId).compile()),
        ))!;
        return { id: r.id, currency: r.currency, cash: r.cash, initialCash: r.initial_cash, createdAt: Number(r.created_at) };
      },
      setCash: async (cash) => this.run(s, db.updateTable('paper_accounts').set({ cash }).where('id', '=', accountId).compile()),
      position: async (pair) => {
        const rows = await this.positionRows(s, accountId, pair);
        return rows[0] ?? null;
      },
      positions: async () => this.positionRows(s, accountId),
      savePosition: async (pair, p) => {
        if (!p) {
          await this.run(s, db.deleteFrom('paper_positions').where('account_id', '=', accountId).where('pair', '=', pair).compile());
          return;
        }
        const row = {
          side: p.side,
          units: p.units,
          entry_price: p.entryPrice,
          opened_at: p.openedAt,
          stop_loss_price: p.stopLossPrice,
          take_profit_price: p.takeProfitPrice,
        };
        await this.run(
          s,
          db
            .insertInto('paper_positions')
            .values({ account_id: accountId, pair, ...row })
            .onConflict((oc) => oc.columns(['account_id', 'pair']).doUpdateSet(row))
            .compile(),
        );
      },
      setMark: async (pair, price) => {
        // Every bar of a replay marks its pair: fixed SQL on SQLite (the same upsert Kysely builds below).
        const fast = sqliteFast(s);
        if (fast) {
          paperWrote(fast.raw);
          prepared(fast.raw, SET_MARK_SQL).run([accountId, pair, price]);
          return;
        }
        await this.run(
          s,
          db
            .insertInto('paper_marks')
            .values({ account_id: accountId, pair, price })
            .onConflict((oc) => oc.columns(['account_id', 'pair']).doUpdateSet({ price }))
            .compile(),
        );
      },
      order: async (id) => {
        const r = await this.get(s, orders().where('id', '=', id).compile());
        return r ? toOrder(r) : null;
      },
      orderByClientId: async (cid) => {
        const r = await this.get(s, orders().where('client_order_id', '=', cid).compile());
        return r ? toOrder(r) : null;
      },
      openOrders: async (pair) => {
        const q = this.compiled(`open|${accountId}|${pair ?? ''}`, () => {
          let q = orders().where('status', 'in', ['open', 'partially_filled']);
          if (pair !== undefined) q = q.where('pair', '=', pair);
          return q.orderBy('created_at').orderBy(insertionOrder(s)).compile();
        });
        return (await this.all(s, q)).map(toOrder);
      },
      saveOrder: async (o) => {
        const row = {
          filled_units: o.filledUnits,
          average_price: o.averagePrice,
          status: o.status,
          reason: o.reason ?? null,
          fees: o.fees,
          stop_loss_price: o.stopLossPrice,
          take_profit_price: o.takeProfitPrice,
          updated_at: o.updatedAt,
        };
        await this.run(
          s,
          db
            .insertInto('paper_orders')
            .values({
              id: o.venueOrderId,
              account_id: accountId,
              client_order_id: o.clientOrderId,
              pair: o.pair,
              side: o.side,
              type: o.type,
              units: o.units,
              limit_price: o.limitPrice,
              reduce_only: o.reduceOnly ? 1 : 0,
              created_at: o.createdAt,
              ...row,
            })
            .onConflict((oc) => oc.column('id').doUpdateSet(row))
            .compile(),
        );
      },
      addFill: async (f) =>
        this.run(
          s,
          db
            .insertInto('paper_fills')
            .values({
              id: f.fillId,
              account_id: accountId,
              order_id: f.venueOrderId,
              client_order_id: f.clientOrderId,
              pair: f.pair,
              side: f.side,
              units: f.units,
              price: f.price,
              fee: f.fee,
              fee_currency: f.feeCurrency,
              realized_pnl: f.realizedPnl,
              ts: f.timestamp,
            })
            .compile(),
        ),
      fills: async (since) => {
        let q = db.selectFrom('paper_fills').selectAll().where('account_id', '=', accountId);
        if (since !== undefined) q = q.where('ts', '>=', since);
        return (await this.all(s, q.orderBy('ts').orderBy(insertionOrder(s)).compile())).map(toFill);
      },
    };
  }

  private async positionRows(s: Session, accountId: string, pair?: string): Promise<PaperPositionRecord[]> {
    const q = this.compiled(`positions|${accountId}|${pair ?? ''}`, () => {
      let q = this.db
        .selectFrom('paper_positions as p')
        .leftJoin('paper_marks as m', (j) => j.onRef('m.account_id', '=', 'p.account_id').onRef('m.pair', '=', 'p.pair'))
        .select(['p.pair', 'p.side', 'p.units', 'p.entry_price', 'p.opened_at', 'p.stop_loss_price', 'p.take_profit_price', 'm.price as mark'])
        .where('p.account_id', '=', accountId);
      if (pair !== undefined) q = q.where('p.pair', '=', pair);
      return q.orderBy('p.pair').compile();
    });
    const fast = sqliteFast(s);
    return (await this.all(s, q)).map((r) => ({
      pair: r.pair,
      side: r.side as PositionSide,
      units: r.units,
      entryPrice: r.entry_price,
      openedAt: Number(r.opened_at),
      stopLossPrice: r.stop_loss_price,
      takeProfitPrice: r.take_profit_price,
      // A mark waiting for the next transaction (markQuiet) is the mark.
      markPrice: (fast && deferredValue(fast.raw, markKey(accountId, r.pair))) ?? r.mark,
    }));
  }
}
