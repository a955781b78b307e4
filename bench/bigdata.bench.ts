/**
 * A 1 M-bar backtest (issue 17): peak RSS ≤ 300 MB and data preparation ≤ 5 s.
 *
 * The parent imports 1 M seeded 1m bars (plus 90 days before them for the risk gate's daily
 * history) into a temporary store, then runs each case in a CHILD process so the peak RSS is the
 * run's own (process.resourceUsage().maxRSS), not the importer's. A case is `ffe backtest BTCUSD
 * --timeframe 1m` over those bars: (a) `--strategy sma-cross`, (b) the rules provider (the
 * default, through the execution path). Preparation is the CPU time from the start of
 * `backtest()` to the prepared run (store read, frames, risk history); the run is the rest.
 *
 * Size: FFE_BENCH_BIG_BARS (default 1000000); cases: FFE_BENCH_BIG_CASES (default "sma-cross,rules").
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { writeHeapSnapshot } from 'node:v8';
import { backtest, type BacktestRequest } from '../src/app/backtest.js';
import { createApp } from '../src/app/container.js';
import type { RunOptions } from '../src/backtest/engine.js';
import { recordGoal } from './report.js';
import { minuteBars } from './replay.bench.js';
import { scratchDir } from './scratch.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const cpuSeconds = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1e6;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

interface ChildResult {
  prepCpu: number;
  runCpu: number;
  maxRssMb: number;
  bars: number;
  trades: number;
  /** The run's last equity point: a change that keeps the trades keeps this to the last digit. */
  finalEquity: number;
}

type Case = 'sma-cross' | 'rules';

const mb = (n: number) => `${Math.round(n / 1048576)}`;
/** FFE_BENCH_BIG_MEM=1: the child's memory at each stage on stderr (where a run's RSS goes). */
function stage(name: string): void {
  if (!process.env.FFE_BENCH_BIG_MEM) return;
  const m = process.memoryUsage();
  process.stderr.write(`[mem] ${name}: rss ${mb(m.rss)} heap ${mb(m.heapUsed)}/${mb(m.heapTotal)} external ${mb(m.external)} arrayBuffers ${mb(m.arrayBuffers)} MB\n`);
}

/**
 * With FFE_BENCH_BIG_MEM, progress reports the memory every 100 k bars; FFE_BENCH_BIG_SNAPSHOT=<bars>
 * also writes a heap snapshot (v8.writeHeapSnapshot, into the working directory) at that bar.
 */
function memoryProbe(): RunOptions {
  if (!process.env.FFE_BENCH_BIG_MEM) return {};
  const at = Number(process.env.FFE_BENCH_BIG_SNAPSHOT ?? NaN);
  return {
    progressEvery: 100_000,
    onProgress: (done) => {
      stage(`bar ${done}`);
      if (done === at) process.stderr.write(`[mem] snapshot ${writeHeapSnapshot()}\n`);
    },
  };
}

/** Child side: one backtest in this process, its figures as JSON on stdout. */
async function child(home: string, which: Case, start: number, end: number, tradesFile?: string): Promise<void> {
  const app = await createApp({ cwd: home, env: { FFE_HOME: home } });
  try {
    const req: BacktestRequest = { pairs: ['BTCUSD'], timeframe: '1m', start, end, ...(which === 'sma-cross' ? { strategy: 'sma-cross' } : { provider: 'rules' }) };
    const t0 = process.cpuUsage();
    let prepared = t0;
    const r = await backtest(app, req, memoryProbe(), { prepared: () => ((prepared = process.cpuUsage()), stage('prepared')) });
    stage('result');
    const t1 = process.cpuUsage();
    // Entry and exit of every trade, to compare a change's trades with the run before it.
    if (tradesFile) writeFileSync(tradesFile, JSON.stringify(r.trades.map((t) => [t.entryTime, t.entryPrice, t.exitTime, t.exitPrice])));
    const out: ChildResult = {
      prepCpu: cpuSeconds(prepared) - cpuSeconds(t0),
      runCpu: cpuSeconds(t1) - cpuSeconds(prepared),
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      bars: r.times.length,
      trades: r.trades.length,
      finalEquity: r.equity[r.equity.length - 1],
    };
    process.stdout.write(`\n${JSON.stringify(out)}\n`);
  } finally {
    await app.close();
  }
}

function runChild(home: string, which: Case, start: number, end: number): ChildResult {
  const self = fileURLToPath(import.meta.url);
  const tradesFile = process.env.FFE_BENCH_BIG_TRADES ? `${process.env.FFE_BENCH_BIG_TRADES}.${which}.json` : '';
  const r = spawnSync(process.execPath, [self, 'child', home, which, String(start), String(end), tradesFile], { env: { ...process.env, FFE_HOME: home }, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`bigdata child ${which} failed (${r.status}): ${r.stderr}`);
  if (process.env.FFE_BENCH_BIG_MEM) process.stderr.write(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as ChildResult;
}

export async function run(): Promise<void> {
  const n = Number(process.env.FFE_BENCH_BIG_BARS ?? 1_000_000);
  const home = scratchDir('ffe-bench-big-');
  // 90 days before the run start give the risk gate its daily history (VaR, correlation).
  const first = Date.UTC(2022, 0, 1);
  const start = first + 90 * DAY;
  const app = await createApp({ cwd: home, env: { FFE_HOME: home } });
  try {
    await app.store.candles.importSeries('BTCUSD', '1m', minuteBars(first, n + 90 * 1440), 'bench random walk');
  } finally {
    await app.close();
  }
  const cases = (process.env.FFE_BENCH_BIG_CASES ?? 'sma-cross,rules').split(',') as Case[];
  for (const which of cases) {
    const r = runChild(home, which, start, start + n * MINUTE);
    const label = which === 'sma-cross' ? '--strategy sma-cross' : 'rules provider (execution path)';
    console.log(
      `1m backtest, ${label}: ${fmt(r.bars)} bars; preparation ${r.prepCpu.toFixed(2)} CPU-s, run ${r.runCpu.toFixed(2)} CPU-s; peak RSS ${fmt(r.maxRssMb)} MB; ${r.trades} trades, final equity ${r.finalEquity}`,
    );
    const note = `child process; CPU time (machine shared); ${fmt(r.bars)} imported 1m bars, ${r.trades} trades, run ${r.runCpu.toFixed(1)} CPU-s`;
    recordGoal({ area: 'backtest', what: `${fmt(n)}-bar backtest, ${label}: peak RSS`, ours: `${fmt(r.maxRssMb)} MB`, goal: '≤ 300 MB peak RSS', met: r.maxRssMb <= 300, note });
    recordGoal({ area: 'backtest', what: `${fmt(n)}-bar backtest, ${label}: preparation`, ours: `${r.prepCpu.toFixed(2)} CPU-s`, goal: 'preparation ≤ 5 s', met: r.prepCpu <= 5, note });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === 'child') {
  const [, , , home, which, start, end, tradesFile] = process.argv;
  await child(home, which as Case, Number(start), Number(end), tradesFile || undefined);
}
