/**
 * Indicators over 1,000,000 bars: ours vs technicalindicators vs trading-signals, same run.
 *
 * Input is a seeded random-walk OHLC series (benchmark input only). Every library gets its
 * native input shape, built before timing: technicalindicators number[] columns,
 * trading-signals per-bar numbers / {high, low, close} objects, ours Float64Array columns (the
 * engine's CandleColumns) and, in a second column, the same number[] as the peers (our one-off
 * Float64Array copy is then timed too). trading-signals 8.x has no Faster* classes any more
 * (every class is number-based), so its fastest API is one instance fed with update(x, false)
 * per bar, results stored in a preallocated array.
 *
 * Timing is process CPU time (user+system, all threads, so the peers' GC work counts), best of
 * several runs after one warm-up: on a shared machine wall-clock times swing by 2-5× with other
 * load, CPU time far less. Before every run a full GC runs and the process is left to go idle
 * (untimed), so nobody is charged for collecting or sweeping garbage a previous case left.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as TI from 'technicalindicators';
import * as TS from 'trading-signals';
import * as ours from '../src/indicators/index.js';

const BARS = 1_000_000;
/** Timed runs after the warm-up: more for fast cases, fewer for slow peers (suite under ~2 min). */
function runsFor(warmMs: number): number {
  return warmMs > 500 ? 2 : warmMs > 100 ? 3 : 7;
}

interface Columns {
  high: number[];
  low: number[];
  close: number[];
}

function randomWalk(n: number, seed: number): Columns {
  let s = seed >>> 0;
  const rand = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out: Columns = { high: [], low: [], close: [] };
  let price = 40_000;
  for (let i = 0; i < n; i++) {
    const open = price;
    price = Math.max(price * (1 + (rand() - 0.5) * 0.01), 1);
    out.close.push(price);
    out.high.push(Math.max(open, price) * (1 + rand() * 0.002));
    out.low.push(Math.min(open, price) * (1 - rand() * 0.002));
  }
  return out;
}

/** Keeps results observable so no engine can skip the work. */
let sink = 0;
function consume(result: unknown): void {
  if (result instanceof Float64Array || Array.isArray(result)) sink += result.length;
  else if (result !== null && typeof result === 'object') for (const v of Object.values(result)) consume(v);
}

/** `npm run bench` starts plain `node`, so expose the collector at run time instead of by flag. */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Collects the previous case's garbage, then waits until the process is idle: V8 sweeps on
 * background threads, and process CPU time would otherwise charge that to the next case.
 */
async function settle(): Promise<void> {
  collectGarbage();
  for (let i = 0; i < 50; i++) {
    const before = process.cpuUsage();
    await sleep(10);
    const used = process.cpuUsage(before);
    if (used.user + used.system < 1_000) return;
  }
}

async function cpuMs(fn: () => unknown): Promise<number> {
  await settle();
  const start = process.cpuUsage();
  consume(fn());
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

async function best(fn: () => unknown): Promise<number> {
  const runs = runsFor(await cpuMs(fn));
  let fastest = Number.POSITIVE_INFINITY;
  for (let r = 0; r < runs; r++) fastest = Math.min(fastest, await cpuMs(fn));
  return fastest;
}

/** Feeds a trading-signals indicator bar by bar, storing `pick(result)` like a batch output. */
function feed<I, R>(inputs: readonly I[], indicator: { update(input: I, replace: boolean): R }, pick: (r: R) => number) {
  const out = new Float64Array(inputs.length);
  for (let i = 0; i < inputs.length; i++) out[i] = pick(indicator.update(inputs[i], false));
  return out;
}

const num = (r: number | null): number => r ?? Number.NaN;

interface Case {
  name: string;
  ours: () => unknown;
  oursArray: () => unknown;
  ti: () => unknown;
  ts: () => unknown;
}

export async function run(): Promise<void> {
  const data = randomWalk(BARS, 42);
  const { high, low, close } = data;
  const f64 = { high: Float64Array.from(high), low: Float64Array.from(low), close: Float64Array.from(close) };
  const candles = close.map((c, i) => ({ high: high[i], low: low[i], close: c }));

  const cases: Case[] = [
    {
      name: 'SMA(20)',
      ours: () => ours.sma(f64.close, 20),
      oursArray: () => ours.sma(close, 20),
      ti: () => TI.SMA.calculate({ period: 20, values: close }),
      ts: () => feed(close, new TS.SMA(20), num),
    },
    {
      name: 'EMA(20)',
      ours: () => ours.ema(f64.close, 20),
      oursArray: () => ours.ema(close, 20),
      ti: () => TI.EMA.calculate({ period: 20, values: close }),
      ts: () => feed(close, new TS.EMA(20), num),
    },
    {
      name: 'RSI(14)',
      ours: () => ours.rsi(f64.close, 14),
      oursArray: () => ours.rsi(close, 14),
      ti: () => TI.RSI.calculate({ period: 14, values: close }),
      ts: () => feed(close, new TS.RSI(14), num),
    },
    {
      name: 'MACD(12,26,9)',
      ours: () => ours.macd(f64.close, 12, 26, 9),
      oursArray: () => ours.macd(close, 12, 26, 9),
      ti: () =>
        TI.MACD.calculate({
          values: close,
          fastPeriod: 12,
          slowPeriod: 26,
          signalPeriod: 9,
          SimpleMAOscillator: false,
          SimpleMASignal: false,
        }),
      ts: () => feed(close, new TS.MACD(new TS.EMA(12), new TS.EMA(26), new TS.EMA(9)), (r) => r?.histogram ?? Number.NaN),
    },
    {
      name: 'Bollinger(20,2)',
      ours: () => ours.bollinger(f64.close, 20, 2),
      oursArray: () => ours.bollinger(close, 20, 2),
      ti: () => TI.BollingerBands.calculate({ period: 20, stdDev: 2, values: close }),
      ts: () => feed(close, new TS.BollingerBands(20, 2), (r) => r?.upper ?? Number.NaN),
    },
    {
      name: 'TrueRange',
      ours: () => ours.trueRange(f64.high, f64.low, f64.close),
      oursArray: () => ours.trueRange(high, low, close),
      ti: () => TI.TrueRange.calculate({ high, low, close }),
      ts: () => feed(candles, new TS.TR(), num),
    },
    {
      name: 'ATR(14)',
      ours: () => ours.atr(f64.high, f64.low, f64.close, 14),
      oursArray: () => ours.atr(high, low, close, 14),
      ti: () => TI.ATR.calculate({ high, low, close, period: 14 }),
      ts: () => feed(candles, new TS.ATR(14), num),
    },
    {
      name: 'ADX(14)',
      ours: () => ours.adx(f64.high, f64.low, f64.close, 14),
      oursArray: () => ours.adx(high, low, close, 14),
      ti: () => TI.ADX.calculate({ high, low, close, period: 14 }),
      ts: () => feed(candles, new TS.ADX(14), num),
    },
  ];

  console.log(
    `${BARS.toLocaleString('en-US')} bars; CPU ms, best of 7 runs after a warm-up (3 if a run takes > 100 ms, 2 if > 500 ms)`,
  );
  console.log('trading-signals: update(x, false) per bar on its number classes (8.x has no Faster* classes)');
  const header = ['indicator', 'ours', 'ours number[]', 'technicalindicators', 'trading-signals', 'vs TI', 'vs TS'];
  const rows: string[][] = [];
  for (const c of cases) {
    const oursMs = await best(c.ours);
    const oursArrayMs = await best(c.oursArray);
    const tiMs = await best(c.ti);
    const tsMs = await best(c.ts);
    rows.push([
      c.name,
      oursMs.toFixed(1),
      oursArrayMs.toFixed(1),
      tiMs.toFixed(0),
      tsMs.toFixed(0),
      `${(tiMs / oursMs).toFixed(0)}x`,
      `${(tsMs / oursMs).toFixed(0)}x`,
    ]);
  }
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const line = (cells: string[]) => cells.map((cell, k) => (k === 0 ? cell.padEnd(widths[k]) : cell.padStart(widths[k]))).join(' | ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(line(r));
  console.log('vs X = X ms / ours ms with Float64Array input; "ours number[]" = ours fed the peers\' number[] columns');
  if (sink < 0) console.log(sink);
}
