import type { Kysely } from 'kysely';

// GDPR erasure (src/application/gdpr): audit entries pseudonymised by an erasure keep their
// original hash (the chain is unchanged); audit_rewrites holds, per rewrite of an entry, the hash
// of its rewritten content, the erasure (its pseudonym) that made it, and the head of the log at
// the time (a later rewrite of the same entry wins). The erasure's own audit entry carries a
// digest of every rewrite it made, so the rows are vouched for by the chain. See docs/gdpr.md.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_rewrites')
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('erasure', 'text', (c) => c.notNull())
    .addColumn('head_seq', 'bigint', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_rewrites_pk', ['seq', 'erasure'])
    .execute();
  await db.schema.createIndex('audit_rewrites_erasure').on('audit_rewrites').column('erasure').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('audit_rewrites').execute();
}
