import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rng } from '../../backtest/synthetic.js';
import { openSqlite, type OpenedSqlite } from '../sqlite/database.js';
import { SqliteEquitySnapshotRepository } from '../sqlite/equity-snapshot-repository.js';
import { MemoryEquitySnapshotRepository } from './equity-snapshot-repository.js';
import type { EquitySnapshot } from '../../risk/types.js';

const H = 3_600_000;
let sqlite: OpenedSqlite;
const memory = new MemoryEquitySnapshotRepository();
let reference: SqliteEquitySnapshotRepository;
const u = rng(11);

beforeAll(async () => {
  sqlite = await openSqlite(':memory:');
  reference = new SqliteEquitySnapshotRepository(sqlite);
  // 3,000 snapshots on two accounts: repeated equities (ties for the peak) and some written out of
  // order, as two processes' clocks would. Times are distinct: among equal times the SQLite
  // repository's order is its ids', which carry random bits.
  const list: EquitySnapshot[] = [];
  for (let i = 0; i < 3000; i++) list.push({ account: u() < 0.8 ? 'paper' : 'live', at: i * 0.25 * H, equity: String(10_000 + Math.round(u() * 40) * 5), currency: 'USD', source: 'test' });
  for (let i = 0; i < 60; i++) {
    const a = Math.floor(u() * list.length);
    const b = Math.min(list.length - 1, a + 1 + Math.floor(u() * 40));
    [list[a], list[b]] = [list[b], list[a]];
  }
  for (let i = 0; i < list.length; i += 100) {
    await memory.recordMany(list.slice(i, i + 100));
    await reference.recordMany(list.slice(i, i + 100));
  }
});
afterAll(() => sqlite.db.destroy());

const view = (s: EquitySnapshot | null) => (s ? [s.at, Number(s.equity)] : null);

describe('in-memory equity snapshots', () => {
  it('answer every window exactly as the SQLite repository does: peak (earliest of equals), day open, range', async () => {
    for (let q = 0; q < 400; q++) {
      const account = u() < 0.8 ? 'paper' : 'live';
      const from = Math.floor(u() * 800) * 0.5 * H;
      const to = from + Math.floor(u() * 400) * 0.5 * H;
      const dayStart = from + Math.floor(u() * 600) * 0.5 * H;
      const [m, r] = await Promise.all([memory.landmarks(account, from, to, dayStart), reference.landmarks(account, from, to, dayStart)]);
      expect([view(m.peak), view(m.dayOpen)]).toEqual([view(r.peak), view(r.dayOpen)]);
      // The same rows as numbers: NaN where there is none.
      const now = memory.landmarksNow(account, from, to, dayStart);
      expect([now.peakAt, now.peak, now.dayOpen]).toEqual([m.peak?.at ?? NaN, m.peak ? Number(m.peak.equity) : NaN, m.dayOpen ? Number(m.dayOpen.equity) : NaN]);
      expect((await memory.range(account, from, to)).map(view)).toEqual((await reference.range(account, from, to)).map(view));
    }
  });

  it('an empty or unknown curve has no landmarks', async () => {
    expect(await memory.landmarks('nobody', 0, 1e12, 0)).toEqual({ peak: null, dayOpen: null });
    expect(await memory.landmarks('paper', -10 * H, -5 * H, -6 * H)).toEqual({ peak: null, dayOpen: null });
  });

  it("over a long curve (hundreds of blocks), every window's peak is the brute-force one, earliest of equals; equity text is kept as written", async () => {
    const long = new MemoryEquitySnapshotRepository();
    const n = 40_000;
    const eq = Array.from({ length: n }, () => 10_000 + Math.round(u() * 300));
    await long.recordMany(eq.map((e, i) => ({ account: 'bt', at: i * 60_000, equity: String(e), currency: 'USD', source: 'backtest' })));
    await long.record({ account: 'bt', at: n * 60_000, equity: '10000.50', currency: 'USD', source: 'execution' });
    for (let q = 0; q < 300; q++) {
      const l = Math.floor(u() * n);
      const r = Math.min(n - 1, l + Math.floor(u() ** 2 * n));
      let top = l;
      for (let i = l; i <= r; i++) if (eq[i] > eq[top]) top = i;
      const { peak } = await long.landmarks('bt', l * 60_000, r * 60_000, 0);
      expect(peak?.at).toBe(top * 60_000);
    }
    const last = await long.range('bt', n * 60_000, n * 60_000);
    expect(last).toEqual([{ account: 'bt', at: n * 60_000, equity: '10000.50', currency: 'USD', source: 'execution' }]);
    expect((await long.range('bt', 0, 0))[0]).toEqual({ account: 'bt', at: 0, equity: String(eq[0]), currency: 'USD', source: 'backtest' });
  });
});

describe('recordValue (the backtest curve, as numbers)', () => {
  it('stores what recordMany stores for each number’s text, out-of-order rows and mixed sources included', async () => {
    const byText = new MemoryEquitySnapshotRepository();
    const byValue = new MemoryEquitySnapshotRepository();
    const at = [0, 1, 2, 3, 5, 4].map((i) => i * H);
    const eq = [10_000, 10_000.1, 0.1 + 0.2, 9_999.999999999998, 1e21, 10_250];
    await byText.record({ account: 'paper', at: 0, equity: '10000.00', currency: 'USD', source: 'execution' });
    await byValue.record({ account: 'paper', at: 0, equity: '10000.00', currency: 'USD', source: 'execution' });
    await byText.recordMany(at.slice(1).map((t, i) => ({ account: 'paper', at: t, equity: String(eq[i + 1]), currency: 'USD', source: 'backtest' })));
    for (let i = 1; i < at.length; i++) byValue.recordValue('paper', at[i], eq[i], 'USD', 'backtest');
    expect(await byValue.range('paper', 0, 10 * H)).toEqual(await byText.range('paper', 0, 10 * H));
    expect(await byValue.landmarks('paper', 0, 10 * H, 2 * H)).toEqual(await byText.landmarks('paper', 0, 10 * H, 2 * H));
  });

  it('a curve given room up front (reserve) and grown past it holds the rows one grown from nothing holds', async () => {
    const grown = new MemoryEquitySnapshotRepository();
    const reserved = new MemoryEquitySnapshotRepository();
    reserved.reserve('paper', 300);
    const at = Array.from({ length: 1000 }, (_, i) => i * H);
    const eq = at.map((_, i) => 10_000 + ((i * 37) % 101));
    for (const r of [grown, reserved]) {
      for (let i = 0; i < 700; i++) r.recordValue('paper', at[i], eq[i], 'USD', 'backtest');
      await r.record({ account: 'paper', at: 699.5 * H, equity: '10100.00', currency: 'USD', source: 'execution' });
      for (let i = 700; i < at.length; i++) r.recordValue('paper', at[i], eq[i], 'USD', 'backtest');
    }
    const rows = await reserved.range('paper', 0, 1000 * H);
    expect(rows).toHaveLength(1001);
    expect(rows).toEqual(await grown.range('paper', 0, 1000 * H));
    expect(rows[700]).toEqual({ account: 'paper', at: 699.5 * H, equity: '10100.00', currency: 'USD', source: 'execution' });
    expect(rows[1000]).toEqual({ account: 'paper', at: 999 * H, equity: String(eq[999]), currency: 'USD', source: 'backtest' });
    expect(await reserved.landmarks('paper', 0, 1000 * H, 500 * H)).toEqual(await grown.landmarks('paper', 0, 1000 * H, 500 * H));
  });

  it("takeValues gives one source's rows in time order, the other sources' rows left out, and drops the curve", async () => {
    const r = new MemoryEquitySnapshotRepository();
    const bars: [number, number][] = [];
    for (let i = 0; i < 600; i++) {
      bars.push([i * H, 10_000 + ((i * 13) % 97) + 0.25]);
      r.recordValue('paper', i * H, 10_000 + ((i * 13) % 97) + 0.25, 'USD', 'backtest');
      if (i % 50 === 7) await r.record({ account: 'paper', at: i * H, equity: '9999.50', currency: 'USD', source: 'execution' });
    }
    // An order's snapshot before the last point (a position closed at an earlier session close) re-sorts the curve.
    await r.record({ account: 'paper', at: 598.5 * H, equity: '10001.00', currency: 'USD', source: 'execution' });
    const { at, equity } = r.takeValues('paper', 'backtest');
    expect([...at].map((t, i) => [t, equity[i]])).toEqual(bars);
    expect(await r.range('paper', 0, 1e15)).toEqual([]);
  });
});
