import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decision } from '../../../test/contract/store/records.js';
import { decisionSummary } from '../../core/decision.js';
import { openSqlite, type OpenedSqlite } from './database.js';
import { SqliteDecisionRepository } from './decision-repository.js';

let sqlite: OpenedSqlite;
let repo: SqliteDecisionRepository;
beforeAll(async () => {
  sqlite = await openSqlite(':memory:');
  repo = new SqliteDecisionRepository(sqlite);
});
afterAll(() => sqlite.db.destroy());

describe('decision summaries on SQLite', () => {
  it('a row written before the summary column is summarised from its record, equal to a new row’s', async () => {
    await repo.save(decision('OLD'));
    await repo.save(decision('NEW'));
    await sql`update decisions set summary = null where id = 'OLD'`.execute(sqlite.db);
    const rows = await sql<{ id: string; summary: string | null }>`select id, summary from decisions order by id`.execute(sqlite.db);
    expect(rows.rows.map((r) => [r.id, r.summary === null])).toEqual([
      ['NEW', false],
      ['OLD', true],
    ]);
    const got = await repo.summaries();
    expect(got).toHaveLength(2);
    for (const s of got) expect(s).toEqual(decisionSummary((await repo.get(s.id))!));
  });

  it('the stored summary is small beside the record', async () => {
    const r = await sql<{ s: number; r: number }>`select length(summary) s, length(record) r from decisions where id = 'NEW'`.execute(sqlite.db);
    expect(r.rows[0].s).toBeLessThan(r.rows[0].r);
  });
});
