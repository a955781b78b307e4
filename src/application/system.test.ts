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

async function open(now: number) {
  const cwd = mkdtempSync(join(tmpdir(), 'ffe-system-'));
  const api = await FfeApi.open({ cwd, env: { FFE_HOME: join(cwd, 'home'), TZ: 'UTC' }, clock: new ManualClock(now) });
  opened.push(api);
  return { api, cwd };
}

const csv = (cwd: string, days: string[]) => {
  const path = join(cwd, 'bars.csv');
  // A blank line inside the file: line numbers still name the file's own lines.
  writeFileSync(path, `timestamp,open,high,low,close,volume\n${days.map((d, i) => `${d},${100 + i},${102 + i},${99 + i},${101 + i},5`).join('\n\n')}\n`);
  return path;
};

describe('importCandles', () => {
  it("refuses a row dated after the runtime clock's now, naming its line, and stores nothing", async () => {
    const { api, cwd } = await open(Date.UTC(2030, 0, 2, 12));
    const file = readCandleFile(csv(cwd, ['2030-01-01', '2030-01-02', '2030-01-03', '2030-01-04']), 'SOLUSD', '1d');
    const err = await api.system.importCandles(file).catch((e: unknown) => e);
    expect(isFfeError(err) && err.exitCode).toBe(2);
    expect((err as Error).message).toBe(`${join(cwd, 'bars.csv')}: line 6: timestamp 2030-01-03T00:00:00.000Z is after now (2030-01-02T12:00:00.000Z); check the date`);
    expect((await api.system.listData()).filter((s) => s.pair === 'SOLUSD')).toEqual([]);
  });

  it('imports the same rows when the clock is past them (the machine date plays no part)', async () => {
    const { api, cwd } = await open(Date.UTC(2030, 0, 5));
    const r = await api.system.importCandles(readCandleFile(csv(cwd, ['2030-01-01', '2030-01-02', '2030-01-03', '2030-01-04']), 'SOLUSD', '1d'));
    expect(r).toMatchObject({ pair: 'SOLUSD', rows: 4, first: Date.UTC(2030, 0, 1), last: Date.UTC(2030, 0, 4) });
  });
});
