import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite, type OpenedSqlite } from './database.js';
import { SqliteEquitySnapshotRepository } from './equity-snapshot-repository.js';

const H = 3_600_000;
const DAY = 24 * H;
const T0 = Date.parse('2024-03-10T00:00:00Z');
let sqlite: OpenedSqlite;
let repo: SqliteEquitySnapshotRepository;

beforeAll(async () => {
  sqlite = await openSqlite(':memory:');
  repo = new SqliteEquitySnapshotRepository(sqlite);
  const at = (h: number, equity: string, account = 'paper') => repo.record({ account, at: T0 + h * H, equity, currency: 'USD', source: 'test' });
  await at(-30, '9999.5'); // as text it sorts above "10400"; as a number it is below
  await at(-20, '10400');
  await at(-10, '10400'); // an equal, later peak
  await at(-2, '10100');
  await at(3, '10050');
  await at(5, '99999', 'live');
});
afterAll(() => sqlite.db.destroy());

describe('equity snapshot landmarks', () => {
  it('the peak compares equity as a number; of equal peaks the earliest', async () => {
    const { peak } = await repo.landmarks('paper', T0 - 2 * DAY, T0 + 6 * H, T0);
    expect([peak?.equity, peak?.at]).toEqual(['10400', T0 - 20 * H]);
  });

  it('the day opens on the last snapshot before midnight, else the first after it; other accounts never count', async () => {
    expect((await repo.landmarks('paper', T0 - 2 * DAY, T0 + 6 * H, T0)).dayOpen?.equity).toBe('10100');
    expect((await repo.landmarks('paper', T0 + H, T0 + 6 * H, T0)).dayOpen?.equity).toBe('10050');
    expect(await repo.landmarks('paper', T0 + 4 * H, T0 + 6 * H, T0)).toEqual({ peak: null, dayOpen: null });
  });

  it('agree with the full range they summarise', async () => {
    const all = await repo.range('paper', T0 - 2 * DAY, T0 + 6 * H);
    const { peak } = await repo.landmarks('paper', T0 - 2 * DAY, T0 + 6 * H, T0);
    expect(Number(peak?.equity)).toBe(Math.max(...all.map((s) => Number(s.equity))));
  });
});
