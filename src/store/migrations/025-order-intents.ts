import type { Kysely } from 'kysely';

// The order journal. Decimals are TEXT (exact, portable to NUMERIC); times are ms since the epoch.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('order_intents')
    .addColumn('client_order_id', 'text', (c) => c.primaryKey())
    .addColumn('account', 'text', (c) => c.notNull())
    .addColumn('venue', 'text', (c) => c.notNull())
    .addColumn('decision_id', 'text')
    .addColumn('leg', 'text', (c) => c.notNull())
    .addColumn('position_id', 'text')
    .addColumn('pair', 'text', (c) => c.notNull())
    .addColumn('side', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('units', 'text', (c) => c.notNull())
    .addColumn('limit_price', 'text')
    .addColumn('stop_loss_price', 'text')
    .addColumn('take_profit_price', 'text')
    .addColumn('reduce_only', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('venue_order_id', 'text')
    .addColumn('filled_units', 'text', (c) => c.notNull().defaultTo('0'))
    .addColumn('average_price', 'text')
    .addColumn('fees', 'text', (c) => c.notNull().defaultTo('0'))
    .addColumn('reason', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('submitted_at', 'bigint')
    .execute();
  await db.schema.createIndex('order_intents_account_state').on('order_intents').columns(['account', 'state']).execute();
  await db.schema.createIndex('order_intents_decision').on('order_intents').column('decision_id').execute();

  await db.schema
    .createTable('position_adjustments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account', 'text', (c) => c.notNull())
    .addColumn('pair', 'text', (c) => c.notNull())
    .addColumn('units', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('position_adjustments').execute();
  await db.schema.dropTable('order_intents').execute();
}
