import { sql } from 'kysely';
import { newUlid } from '../../lib/fast-ulid.js';
import type { Session } from '../session.js';
import { sqliteFast } from './database.js';
import { getPrepared } from './prepared.js';
import type { ExecutionTables } from './execution-tables.js';
import type { EquitySnapshot } from '../../risk/types.js';
import type { EquitySnapshotRepository } from '../port.js';

export class SqliteEquitySnapshotRepository implements EquitySnapshotRepository {
  private readonly db;

  constructor(private readonly sqlite: Session) {
    this.db = sqlite.db.withTables<ExecutionTables>();
  }

  async record(s: EquitySnapshot): Promise<void> {
    await this.recordMany([s]);
  }

  async recordMany(list: readonly EquitySnapshot[]): Promise<void> {
    const row = (s: EquitySnapshot) => ({ id: newUlid(s.at), account: s.account, taken_at: s.at, equity: s.equity, currency: s.currency, source: s.source });
    // 500 rows × 6 values stays under SQLite's bound-parameter limit.
    for (let i = 0; i < list.length; i += 500)
      await this.db
        .insertInto('equity_snapshots')
        .values(list.slice(i, i + 500).map(row))
        .execute();
  }

  async range(account: string, from: number, to: number): Promise<EquitySnapshot[]> {
    const rows = await this.db.selectFrom('equity_snapshots').selectAll().where('account', '=', account).where('taken_at', '>=', from).where('taken_at', '<=', to).orderBy('taken_at').orderBy('id').execute();
    return rows.map(toSnapshot);
  }

  async landmarks(account: string, from: number, to: number, dayStart: number): Promise<{ peak: EquitySnapshot | null; dayOpen: EquitySnapshot | null }> {
    const fast = sqliteFast(this.sqlite);
    // The risk gate asks at every order check: the same three queries as below, prepared once on SQLite (see prepared.ts).
    if (fast) {
      const window = 'SELECT * FROM equity_snapshots WHERE account = ? AND taken_at >= ? AND taken_at <= ?';
      const args = [account, from, to];
      const peak = await getPrepared<SnapshotRow>(fast, `${window} ORDER BY cast(equity as double precision) DESC, taken_at, id LIMIT 1`, args);
      let open = await getPrepared<SnapshotRow>(fast, `${window} AND taken_at < ? ORDER BY taken_at DESC, id DESC LIMIT 1`, [...args, dayStart]);
      open ??= await getPrepared<SnapshotRow>(fast, `${window} AND taken_at >= ? ORDER BY taken_at, id LIMIT 1`, [...args, dayStart]);
      return { peak: peak ? toSnapshot(peak) : null, dayOpen: open ? toSnapshot(open) : null };
    }
    const inWindow = this.db.selectFrom('equity_snapshots').selectAll().where('account', '=', account).where('taken_at', '>=', from).where('taken_at', '<=', to);
    // Equity is stored as decimal text: compared as a number, the earliest of equal peaks wins.
    const peak = await inWindow
      .orderBy(sql`cast(equity as double precision)`, 'desc')
      .orderBy('taken_at')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    let open = await inWindow.where('taken_at', '<', dayStart).orderBy('taken_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
    open ??= await inWindow.where('taken_at', '>=', dayStart).orderBy('taken_at').orderBy('id').limit(1).executeTakeFirst();
    return { peak: peak ? toSnapshot(peak) : null, dayOpen: open ? toSnapshot(open) : null };
  }
}

type SnapshotRow = { account: string; taken_at: number | bigint; equity: string; currency: string; source: string };

const toSnapshot = (r: SnapshotRow): EquitySnapshot => ({
  account: r.account,
  at: Number(r.taken_at),
  equity: r.equity,
  currency: r.currency,
  source: r.source,
});
