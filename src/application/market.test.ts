import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { isFfeError } from '../core/errors.js';
import { FfeApi } from './api.js';
import { readCandleFile } from './system.js';

const opened: FfeApi[] = [];
afterEach(async () => {
  while (opened.length) await opened.pop()!.close();
});

async function open() {
  const cwd = mkdtempSync(join(tmpdir(), 'ffe-market-'));
  const api = await FfeApi.open({ cwd, env: { FFE_HOME: join(cwd, 'home'), TZ: 'UTC' }, clock: new ManualClock(Date.UTC(2026, 0, 1)) });
  opened.push(api);
  return { api, cwd };
}

/** A 1m file of `n` minutes from 2025-03-01 00:00 UTC without the minutes in `skip`. */
const minutesCsv = (cwd: string, n: number, skip: number[] = [], stamp?: (i: number) => string) => {
  const path = join(cwd, 'm.csv');
  const rows = [];
  for (let i = 0; i < n; i++) {
    if (skip.includes(i)) continue;
    const t = stamp?.(i) ?? new Date(Date.UTC(2025, 2, 1) + i * 60_000).toISOString();
    rows.push(`${t},${100 + i},${102 + i},${99 + i},${101 + i},5`);
  }
  writeFileSync(path, `timestamp,open,high,low,close,volume\n${rows.join('\n')}\n`);
  return path;
};

describe('market.importCandles: the grid and gap check', () => {
  it('refuses three missing minutes by default (exit 2, where and how many, nothing stored); --allow-gaps stores them and says so', async () => {
    const { api, cwd } = await open();
    const file = readCandleFile(minutesCsv(cwd, 30, [10, 11, 12]), 'SOLUSD', '1m');
    const err = await api.market.importCandles(file).catch((e: unknown) => e);
    expect(isFfeError(err) && [err.code, err.exitCode]).toEqual(['DATA_GAPS', 2]);
    expect((err as Error).message).toMatch(/m\.csv: 1 gap, 3 bars missing; longest: 3 bars missing between 2025-03-01T00:09:00\.000Z and 2025-03-01T00:13:00\.000Z \(before line 12\).*--allow-gaps/);
    expect((await api.system.listData()).filter((s) => s.pair === 'SOLUSD')).toEqual([]);

    const r = await api.market.importCandles(file, { allowGaps: true });
    expect(r.rows).toBe(27);
    expect(r.quality).toMatchObject({ gaps: 1, missingBars: 3, longest: { after: '2025-03-01T00:09:00.000Z', before: '2025-03-01T00:13:00.000Z', missing: 3 } });
    const [check] = await api.market.check({ pair: 'SOLUSD', timeframe: '1m' });
    expect(check).toMatchObject({ origin: 'imported', bars: 27, offGrid: 0, gaps: 1, missingBars: 3 });
  });

  it('refuses a bar off the grid before opening anything, naming its line and time', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ffe-market-'));
    const path = minutesCsv(cwd, 5, [], (i) => new Date(Date.UTC(2025, 2, 1) + i * 60_000 + (i === 3 ? 30_000 : 0)).toISOString());
    expect(() => readCandleFile(path, 'SOLUSD', '1m')).toThrow(/m\.csv: line 5: timestamp 2025-03-01T00:03:30\.000Z is not on the 1m grid/);
  });
});

describe('market.check on the bundled data', () => {
  it('BTCUSD is whole; EURUSD weekends are closures, not gaps; its Christmas holes are gaps', async () => {
    const { api } = await open();
    const btc = await api.market.check({ pair: 'BTCUSD' });
    expect(btc.map((r) => [r.timeframe, r.bars, r.gaps, r.offGrid])).toEqual([
      ['1m', 44640, 0, 0],
      ['1h', 8784, 0, 0],
      ['1d', 2694, 0, 0],
    ]);
    const [eur] = await api.market.check({ pair: 'EURUSD', timeframe: '1h' });
    // 2012-2014: ~156 weekends of ~48 closed hours each are expected, not reported.
    expect(eur.closedBars).toBeGreaterThan(7000);
    expect(eur.gaps).toBe(5);
    expect(eur.longest).toEqual({ after: '2012-12-24T18:00:00.000Z', before: '2012-12-26T13:00:00.000Z', missing: 42 });
    await expect(api.market.check({ pair: 'EURUSD', timeframe: '1m' })).rejects.toThrow(/no stored 1m data for EURUSD \(stored: 1h, 1d\)/);
  });
});
