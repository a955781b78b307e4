import type { Kysely } from 'kysely';

// A decision's list summary beside its whole record: lists read ~0.5 KB per decision instead of
// the ~6 KB record with its market snapshot. Rows written before this column have it null and
// are summarised from the record as they are read (decision-repository.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('decisions').addColumn('summary', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('decisions').dropColumn('summary').execute();
}
