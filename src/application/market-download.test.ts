import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Candle } from '../core/candle.js';
import { ManualClock } from '../core/clock.js';
import { isFfeError } from '../core/errors.js';
import { startFakeKlines, type FakeKlines } from '../../test/fakes/binance-klines-server.js';
import { FfeApi } from './api.js';

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  while (opened.length) await opened.pop()!.close();
});

const T0 = Date.UTC(2025, 2, 1);
const MIN = 60_000;
/** `n` 1m bars from 2025-03-01 00:00 UTC, without the minutes in `skip`; `shift` moves one bar off the grid. */
const bars = (n: number, skip: number[] = [], shift?: number): Candle[] =>
  Array.from({ length: n }, (_, i) => i)
    .filter((i) => !skip.includes(i))
    .map((i) => ({ timestamp: T0 + i * MIN + (i === shift ? 30_000 : 0), open: 100 + i, high: 102 + i, low: 99 + i, close: 101 + i, volume: 5 }));

async function setup(series: Candle[], maxLimit = 1000): Promise<{ api: FfeApi; fake: FakeKlines; download: (extra?: object) => ReturnType<FfeApi['market']['download']> }> {
  const fake = await startFakeKlines({ markets: [{ base: 'BTC', quote: 'USDT' }], series: { BTCUSDT: { '1m': series } }, maxLimit });
  opened.push(fake);
  const cwd = mkdtempSync(join(tmpdir(), 'ffe-download-'));
  const api = await FfeApi.open({ cwd, env: { FFE_HOME: join(cwd, 'home'), TZ: 'UTC' }, clock: new ManualClock(Date.UTC(2026, 0, 1)) });
  opened.push(api);
  const download = (extra = {}) => api.market.download({ pairs: ['BTC/USDT'], timeframe: '1m', from: '2025-03-01', to: '2025-03-03', exchange: 'binance', baseUrl: fake.url, ...extra });
  return { api, fake, download };
}

describe('ffe data download (ccxt binance against a loopback /api/v3/klines)', () => {
  it('pages by `since` and the exchange limit until the history ends, and stores every bar', async () => {
    const { api, fake, download } = await setup(bars(2500));
    const [r] = await download();
    expect(r).toMatchObject({ pair: 'BTCUSDT', market: 'BTC/USDT', pages: 3, bars: 2500, resumed: false, first: '2025-03-01T00:00:00.000Z', last: new Date(T0 + 2499 * MIN).toISOString() });
    expect(r.quality).toMatchObject({ gaps: 0, offGrid: 0 });
    // Each request starts one bar after the last one received; the fourth finds nothing left.
    expect(fake.klinesRequests).toEqual([
      { startTime: T0, limit: 1000 },
      { startTime: T0 + 1000 * MIN, limit: 1000 },
      { startTime: T0 + 2000 * MIN, limit: 1000 },
      { startTime: T0 + 2500 * MIN, limit: 1000 },
    ]);
    const stored = (await api.system.listData()).find((s) => s.pair === 'BTCUSDT' && s.timeframe === '1m');
    expect(stored).toMatchObject({ bars: 2500, source: 'ccxt:binance', origin: 'imported' });
  });

  it('a failure mid-way keeps the pages before it; running again resumes after the last stored bar', async () => {
    const { api, fake, download } = await setup(bars(2500), 400);
    fake.failKlinesAt(3);
    const err = await download().catch((e: unknown) => e);
    expect(isFfeError(err) && err.code).toBe('VENUE_UNAVAILABLE');
    expect((err as Error).message).toMatch(/binance BTC\/USDT 1m: .*BTCUSDT 1m is stored up to 2025-03-01T13:19:00\.000Z: run the same command again to resume from there/);
    expect((await api.system.listData()).find((s) => s.pair === 'BTCUSDT')).toMatchObject({ bars: 800 });

    const before = fake.klinesRequests.length;
    const [r] = await download();
    expect(r).toMatchObject({ resumed: true, start: '2025-03-01T13:20:00.000Z', bars: 1700, pages: 5 });
    expect(fake.klinesRequests[before].startTime).toBe(T0 + 800 * MIN);
    const [check] = await api.market.check({ pair: 'BTCUSDT', timeframe: '1m' });
    expect(check).toMatchObject({ bars: 2500, gaps: 0, offGrid: 0 });
  });

  it('gaps stop the download (exit 2) unless accepted; an off-grid bar from the exchange stores nothing of its page', async () => {
    const gapped = await setup(bars(1500, [1200, 1201, 1202]), 1000);
    const err = await gapped.download().catch((e: unknown) => e);
    expect(isFfeError(err) && [err.code, err.exitCode]).toEqual(['DATA_GAPS', 2]);
    expect((err as Error).message).toMatch(/1 gap, 3 bars missing; longest: 3 bars missing between 2025-03-01T19:59:00\.000Z and 2025-03-01T20:03:00\.000Z; stored up to 2025-03-01T16:39:00\.000Z/);
    const [r] = await gapped.download({ allowGaps: true });
    expect(r).toMatchObject({ resumed: true, bars: 497 });
    expect(r.quality).toMatchObject({ gaps: 1, missingBars: 3 });

    const off = await setup(bars(50, [], 20));
    const e2 = await off.download().catch((e: unknown) => e);
    expect(isFfeError(e2) && e2.code).toBe('DOWNLOAD_INVALID');
    expect((e2 as Error).message).toMatch(/the bar at 2025-03-01T00:20:30\.000Z is not on the 1m grid/);
    expect((await off.api.system.listData()).some((s) => s.pair === 'BTCUSDT')).toBe(false);
  });

  it('a pair the exchange does not list is named with the ones it has', async () => {
    const { download } = await setup(bars(10));
    await expect(download({ pairs: ['BTCEUR'] })).rejects.toThrow(/binance has no BTC\/EUR spot market; it lists BTC\/USDT/);
    await expect(download({ exchange: 'nosuchexchange' })).rejects.toThrow(/ccxt has no exchange "nosuchexchange"/);
  });
});
