import type { Kysely } from 'kysely';

// The paper venue's account. Money and quantities are TEXT decimals (exact; NUMERIC on PostgreSQL),
// times bigint ms. The unique (account_id, client_order_id) is what makes placing an order idempotent.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('paper_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('cash', 'text', (c) => c.notNull())
    .addColumn('initial_cash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('paper_orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('paper_accounts.id'))
    .addColumn('client_order_id', 'text', (c) => c.notNull())
    .addColumn('pair', 'text', (c) => c.notNull())
    .addColumn('side', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('units', 'text', (c) => c.notNull())
    .addColumn('filled_units', 'text', (c) => c.notNull())
    .addColumn('average_price', 'text')
    .addColumn('limit_price', 'text')
    .addColumn('stop_loss_price', 'text')
    .addColumn('take_profit_price', 'text')
    .addColumn('reduce_only', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('fees', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('paper_orders_client_id', ['account_id', 'client_order_id'])
    .execute();
  await db.schema.createIndex('paper_orders_status').on('paper_orders').columns(['account_id', 'status', 'pair']).execute();

  await db.schema
    .createTable('paper_positions')
    .addColumn('account_id', 'text', (c) => c.notNull().references('paper_accounts.id'))
    .addColumn('pair', 'text', (c) => c.notNull())
    .addColumn('side', 'text', (c) => c.notNull())
    .addColumn('units', 'text', (c) => c.notNull())
    .addColumn('entry_price', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'bigint', (c) => c.notNull())
    .addColumn('stop_loss_price', 'text')
    .addColumn('take_profit_price', 'text')
    .addPrimaryKeyConstraint('paper_positions_pk', ['account_id', 'pair'])
    .execute();

  // Last seen price per pair: the mark when no live price is at hand (also after a position closes).
  await db.schema
    .createTable('paper_marks')
    .addColumn('account_id', 'text', (c) => c.notNull().references('paper_accounts.id'))
    .addColumn('pair', 'text', (c) => c.notNull())
    .addColumn('price', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('paper_marks_pk', ['account_id', 'pair'])
    .execute();

  await db.schema
    .createTable('paper_fills')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('paper_accounts.id'))
    .addColumn('order_id', 'text', (c) => c.notNull().references('paper_orders.id'))
    .addColumn('client_order_id', 'text', (c) => c.notNull())
    .addColumn('pair', 'text', (c) => c.notNull())
    .addColumn('side', 'text', (c) => c.notNull())
    .addColumn('units', 'text', (c) => c.notNull())
    .addColumn('price', 'text', (c) => c.notNull())
    .addColumn('fee', 'text', (c) => c.notNull())
    .addColumn('fee_currency', 'text', (c) => c.notNull())
    .addColumn('realized_pnl', 'text', (c) => c.notNull())
    .addColumn('ts', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('paper_fills_ts').on('paper_fills').columns(['account_id', 'ts']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['paper_fills', 'paper_marks', 'paper_positions', 'paper_orders', 'paper_accounts']) await db.schema.dropTable(t).execute();
}
