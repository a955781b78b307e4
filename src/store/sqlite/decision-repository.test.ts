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
  it('a row is summarised from its record, equal to a row with a stored summary (written by an earlier version)', async () => {
    await repo.save(decision('OLD'));
    await repo.save(decision('NEW'));
    const old = decisionSummary((await repo.get('OLD'))!);
    await sql`update decisions set summary = ${JSON.stringify({ ...old, executed: undefined })} where id = 'OLD'`.execute(sqlite.db);
    const rows = await sql<{ id: string; summary: string | null }>`select id, summary from decisions order by id`.execute(sqlite.db);
    expect(rows.rows.map((r) => [r.id, r.summary === null])).toEqual([
      ['NEW', true],
      ['OLD', false],
    ]);
    const got = await repo.summaries();
    expect(got.map((s) => s.id).sort()).toEqual(['NEW', 'OLD']);
    for (const s of got) expect(s).toEqual(decisionSummary((await repo.get(s.id))!));
  });
});
