import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTulipDriver, dumpTulip, timeTulip, writeColumns } from '../../bench/tulip/tulip.js';
import { expectSeriesClose, loadBtc1h, randomWalk } from '../../test/fixtures/indicators/helpers.js';
import { adx, atr, bollinger, ema, macd, rsi, sma, trueRange } from './index.js';

/**
 * Our values against Tulip Indicators' C core (the amalgamation in the tulind package, compiled
 * here with the system C compiler), so the bench's "vs Tulip C" timings compare like with like.
 * Where the definitions differ (seeding, MACD's fixed alphas) the test says how, and compares
 * once the difference has decayed below 1e-9 relative.
 */
const datasets = {
  btc: loadBtc1h(),
  walk: randomWalk(3000, 41, 100, 1),
};

const dirs = new Map<string, string>();
let driver = '';

beforeAll(() => {
  const built = buildTulipDriver();
  // Skip-free: a machine without a C compiler fails here with the command that fixes it.
  if ('error' in built) throw new Error(built.error);
  driver = built.driver;
  for (const [name, d] of Object.entries(datasets)) {
    const dir = mkdtempSync(join(tmpdir(), `ffe-tulip-${name}-`));
    writeColumns(join(dir, 'data.bin'), { high: Float64Array.from(d.high), low: Float64Array.from(d.low), close: Float64Array.from(d.close) });
    dirs.set(name, join(dir, 'data.bin'));
  }
}, 120_000);

const tulip = (data: string, indicator: string, options: number[]) => dumpTulip(driver, dirs.get(data) as string, indicator, options);

describe.each(Object.keys(datasets) as (keyof typeof datasets)[])('ours vs Tulip C on %s', (name) => {
  const { high, low, close } = datasets[name];

  it('SMA and RSI: same definition, equal to 1e-9 relative from the first value', () => {
    const [tSma] = tulip(name, 'sma', [20]);
    expectSeriesClose(sma(close, 20), tSma, { rel: 1e-9 });
    const [tRsi] = tulip(name, 'rsi', [14]);
    expectSeriesClose(rsi(close, 14), tRsi, { rel: 1e-9 });
  });

  it('True range: equal from index 1 (Tulip has no bar-0 value either)', () => {
    const [tTr] = tulip(name, 'tr', []);
    expectSeriesClose(trueRange(high, low, close).subarray(1), tTr.subarray(1), { rel: 1e-12 });
  });

  it('Bollinger: population σ in both; bands equal to 1e-9 relative', () => {
    const [lower, middle, upper] = tulip(name, 'bbands', [20, 2]);
    const ours = bollinger(close, 20, 2);
    expectSeriesClose(ours.lower, lower, { rel: 1e-9 });
    expectSeriesClose(ours.middle, middle, { rel: 1e-9 });
    expectSeriesClose(ours.upper, upper, { rel: 1e-9 });
  });

  it('EMA: Tulip seeds with the first value, ours with the SMA of the first period; equal once that has decayed', () => {
    const [tEma] = tulip(name, 'ema', [20]);
    const ours = ema(close, 20);
    expect(Math.abs(ours[19] - tEma[19])).toBeGreaterThan(1e-9 * Math.abs(tEma[19]));
    // (19/21)^k: below 1e-12 of the seed gap after ~280 bars.
    expectSeriesClose(ours, tEma, { from: 300, rel: 1e-9 });
  });

  it('ATR: Tulip counts bar 0 (high-low) in its seed and starts at period-1; equal once that has decayed', () => {
    const [tAtr] = tulip(name, 'atr', [14]);
    const ours = atr(high, low, close, 14);
    expect(Number.isNaN(ours[13])).toBe(true);
    expect(Number.isNaN(tAtr[13])).toBe(false);
    expectSeriesClose(ours, tAtr, { from: 400, rel: 1e-9 });
  });

  it('ADX: Tulip seeds as TA-Lib does (bars 1..period-1, then one Wilder step); equal once that has decayed', () => {
    const [tAdx] = tulip(name, 'adx', [14]);
    const ours = adx(high, low, close, 14);
    expect(Number.isNaN(tAdx[26])).toBe(false);
    expect(Number.isNaN(ours.adx[26])).toBe(true);
    expectSeriesClose(ours.adx, tAdx, { from: 27 + 400, rel: 1e-9 });
  });

  it('MACD: Tulip seeds every EMA with the first close; equal once that has decayed, except at (12, 26)', () => {
    const [tLine, tSignal, tHist] = tulip(name, 'macd', [10, 21, 7]);
    const ours = macd(close, 10, 21, 7);
    // The line is a small difference of two EMAs, so compare against the price scale.
    const scale = { from: 600, abs: 1e-9 * Math.max(...close.slice(0, 1000)) };
    expectSeriesClose(ours.macd, tLine, scale);
    expectSeriesClose(ours.signal, tSignal, scale);
    expectSeriesClose(ours.histogram, tHist, scale);
    // At exactly (12, 26) Tulip switches to TA_MACDFIX's alphas 0.15/0.075, a different indicator.
    const [fixLine] = tulip(name, 'macd', [12, 26, 9]);
    const ours1226 = macd(close, 12, 26, 9).macd;
    const last = close.length - 1;
    expect(Math.abs(ours1226[last] - fixLine[last])).toBeGreaterThan(1e-6 * Math.abs(close[last]));
  });
});

describe('the bench driver', () => {
  it('times only the indicators named, by the bench labels, and all of them when none is named', () => {
    const data = dirs.get('walk') as string;
    const some = timeTulip(driver, data, { runs: 2, pauseMs: 1, labels: ['TrueRange', 'Bollinger(20,2)'] });
    expect([...some.keys()]).toEqual(['Bollinger(20,2)', 'TrueRange']);
    for (const ms of some.values()) expect(ms).toBeGreaterThanOrEqual(0);
    expect([...timeTulip(driver, data, { runs: 1, pauseMs: 0 }).keys()]).toHaveLength(8);
  });
});
