import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundled, writeDerivedEthBtc } from '../../test/fixtures/derived/ethbtc.js';
import { FfeApi } from '../application/api.js';
import { backtestResultJson } from '../application/jobs/work.js';
import { readCandleFile } from '../application/system.js';
import { isFfeError } from '../core/errors.js';

let api: FfeApi;
beforeAll(async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'ffe-currency-'));
  api = await FfeApi.open({ cwd, env: { FFE_HOME: join(cwd, 'home'), TZ: 'UTC' } });
  const file = join(cwd, 'ETHBTC-1h-derived-from-ETHUSD-BTCUSD.csv');
  expect(writeDerivedEthBtc(file)).toBe(8784);
  await api.market.importCandles(readCandleFile(file, 'ETHBTC', '1h'));
});
afterAll(() => api.close());

const START = Date.UTC(2024, 1, 1);
const req = { pairs: ['ETHBTC'], start: START, end: Date.UTC(2024, 5, 1), strategy: 'sma-cross', risk: false };
/** BTCUSD closes by bar close time (open + 1h), from the bundled file: the independent rate path. */
const btcClose = new Map(readBundled('BTCUSD', '1h').map((b) => [Date.parse(b.time) + 3_600_000, b.close]));

describe('a pair quoted in BTC, balances in USD', () => {
  it('takes the 10,000 balance in USD, converted at the BTCUSD close known at the start: realistic ETH sizes', async () => {
    const r = await api.backtests.backtest(req);
    const rate0 = btcClose.get(START)!;
    // ~43,000 USD/BTC at 2024-02-01: 10,000 USD ≈ 0.23 BTC, not 10,000 BTC.
    expect(r.settings.initialBalance).toBeCloseTo(10_000 / rate0, 12);
    expect(r.settings.initialBalance).toBeLessThan(0.3);
    expect(r.trades.length).toBeGreaterThan(0);
    for (const t of r.trades) {
      // ETH at ~0.05 BTC: a 0.23 BTC account buys a few ETH at most, never thousands.
      expect(t.units * t.entryPrice).toBeLessThanOrEqual(r.settings.initialBalance * 1.5);
      expect(t.units).toBeLessThan(10);
    }
    const c = r.currency!;
    expect(c).toMatchObject({ quote: 'BTC', account: 'USD', rateSeries: 'BTCUSD 1h', initialAccount: 10_000 });
    const lastT = r.times[r.times.length - 1];
    expect(c.finalAccount).toBeCloseTo(r.equity[r.equity.length - 1] * btcClose.get(lastT)!, 6);
    expect(c.finalQuote).toBe(r.equity[r.equity.length - 1]);
    expect(c.returnAccount).toBeCloseTo(c.finalAccount / 10_000 - 1, 12);
    expect(r.notes.some((n) => /^balance 10000 USD = 0\.2\d+ BTC at .*\(BTCUSD 1h/.test(n))).toBe(true);
    expect(r.notes.some((n) => /^in USD: 10000\.00 → /.test(n))).toBe(true);
    const json = backtestResultJson(r);
    expect(json.currency).toEqual(c);
    expect(json.data_gaps).toEqual([{ pair: 'ETHBTC', gaps: 0, missingBars: 0, longest: null }]);
  });

  it('no conversion path: a clear error naming the series it looked for', async () => {
    const e = await api.backtests.backtest({ ...req, settings: { accountCurrency: 'EUR' } }).catch((x: unknown) => x);
    expect(isFfeError(e) && [e.code, e.exitCode]).toEqual(['CURRENCY_PATH_MISSING', 2]);
    expect((e as Error).message).toMatch(/no price series converts BTC into the account currency EUR from 2024-02-01T00:00:00\.000Z: tried BTCEUR 1h, EURBTC 1h, BTCEUR 4h/);
  });

  it('a run on a USD pair is unchanged, and states the gaps it ran over', async () => {
    const r = await api.backtests.backtest({ pairs: ['EURUSD'], start: Date.UTC(2012, 11, 1), end: Date.UTC(2013, 0, 15), strategy: 'sma-cross', risk: false });
    expect(r.settings.initialBalance).toBe(10_000);
    expect(r.currency).toBeNull();
    expect(r.dataGaps).toEqual([{ pair: 'EURUSD', gaps: 2, missingBars: 76, longest: { after: '2012-12-24T18:00:00.000Z', before: '2012-12-26T13:00:00.000Z', missing: 42 } }]);
    expect(r.notes).toContain('data gaps in EURUSD: 2 gaps, 76 bars missing; longest: 42 bars missing between 2012-12-24T18:00:00.000Z and 2012-12-26T13:00:00.000Z (see `ffe data check EURUSD`)');
  });
});
