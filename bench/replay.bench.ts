/**
 * The execution path and the agent replay (issue 17), in CPU time (the machine is shared):
 *
 * 1. `ffe backtest` with a provider through the live order path (ExecutionService, risk gate on a
 *    venue-built context, journal, simulated venue) on imported 1m data, at two sizes: bars per
 *    CPU-second at each, and the ratio of their per-bar costs (1.0 = linear in bars).
 * 2. An agent replay, BTCUSD + ETHUSD over 2024 1h, in a child process: decisions per CPU-second,
 *    and, from a second run under --cpu-prof, the share of its profile samples under store code
 *    (repositories, Kysely, better-sqlite3).
 *
 * Sizes: FFE_BENCH_EXEC_BARS (default "100000,1000000"; "skip" skips part 1); FFE_BENCH_REPLAY_TO
 * (default 2025-01-01; "skip" skips part 2).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareBacktest } from '../src/app/backtest.js';
import { backtestThroughExecution } from '../src/app/backtest-venue.js';
import { createApp } from '../src/app/container.js';
import type { ProviderSource } from '../src/backtest/provider-source.js';
import type { Candle } from '../src/core/candle.js';
import { recordGoal } from './report.js';
import { scratchDir } from './scratch.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const cpuSeconds = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1e6;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** A seeded 1m random walk (0.1 % per minute), `days` of history before `start` included. */
export function minuteBars(start: number, n: number): Candle[] {
  let seed = 12_345;
  const rnd = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const out: Candle[] = new Array(n);
  let p = 40_000;
  for (let i = 0; i < n; i++) {
    const open = p;
    const close = open * (1 + (rnd() - 0.5) * 0.004);
    const high = Math.max(open, close) * (1 + rnd() * 0.001);
    const low = Math.min(open, close) * (1 - rnd() * 0.001);
    out[i] = { timestamp: start + i * MINUTE, open, high, low, close, volume: 10 + rnd() * 100 };
    p = close;
  }
  return out;
}

async function executionPath(): Promise<void> {
  const sizes = (process.env.FFE_BENCH_EXEC_BARS ?? '100000,1000000').split(',').map(Number);
  const home = scratchDir('ffe-bench-exec-');
  const app = await createApp({ cwd: home, env: { FFE_HOME: home } });
  try {
    // 90 days before the run start give the risk gate its daily history (VaR, correlation).
    const first = Date.UTC(2022, 0, 1);
    const start = first + 90 * DAY;
    const total = Math.max(...sizes) + 90 * 1440;
    await app.store.candles.importSeries('BTCUSD', '1m', minuteBars(first, total), 'bench random walk');
    const perBar: number[] = [];
    for (const n of sizes) {
      const run = await prepareBacktest(app, { pairs: ['BTCUSD'], timeframe: '1m', start, end: start + n * MINUTE, provider: 'rules' });
      const c0 = process.cpuUsage();
      const r = await backtestThroughExecution(app, run.data, run.source as ProviderSource, run.settings);
      const cpu = cpuSeconds(process.cpuUsage(c0));
      const bars = r.times.length;
      perBar.push(cpu / bars);
      console.log(
        `execution path, rules, imported 1m: ${fmt(bars)} bars in ${cpu.toFixed(2)} CPU-s = ${fmt(bars / cpu)} bars/CPU-s; ${r.trades.length} trades (${fmt(r.fills.length)} fills), ${r.rejections.length} refused; final equity ${r.equity[r.equity.length - 1]}, cash ${r.cash}`,
      );
      recordGoal({
        area: 'execution',
        what: `execution path, rules, imported 1m, ${fmt(bars)} bars`,
        ours: `${fmt(bars / cpu)} bars/CPU-s`,
        goal: '≥ 100,000 bars/s',
        met: bars / cpu >= 100_000,
        note: `CPU time (machine shared); ${r.trades.length} trades in ${fmt(r.fills.length)} fills (entries over the participation limit fill over many bars), ${r.rejections.length} refused entries`,
      });
    }
    if (perBar.length >= 2) {
      const ratio = perBar[perBar.length - 1] / perBar[0];
      recordGoal({
        area: 'execution',
        what: `execution path linearity: per-bar cost at ${fmt(sizes[sizes.length - 1])} / at ${fmt(sizes[0])} bars`,
        ours: `${ratio.toFixed(2)}×`,
        goal: 'linear (≤ 1.2×)',
        met: ratio <= 1.2,
        note: 'CPU time per bar',
      });
    }
  } finally {
    await app.close();
  }
}

/** Share of profile samples with a store frame (repositories, Kysely, better-sqlite3) on their stack. */
function storeShare(profileFile: string): number {
  const p = JSON.parse(readFileSync(profileFile, 'utf8')) as { nodes: { id: number; callFrame: { url: string }; children?: number[] }[]; samples: number[]; timeDeltas: number[] };
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const url = new Map(p.nodes.map((n) => [n.id, n.callFrame.url]));
  const isStore = (u: string) => u.includes('/src/store/') || u.includes('/node_modules/kysely/') || u.includes('/node_modules/better-sqlite3/');
  const under = new Map<number, boolean>();
  const storeAt = (id: number): boolean => {
    let known = under.get(id);
    if (known === undefined) {
      const up = parent.get(id);
      known = isStore(url.get(id) ?? '') || (up !== undefined && storeAt(up));
      under.set(id, known);
    }
    return known;
  };
  let all = 0;
  let store = 0;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    all += dt;
    if (storeAt(id)) store += dt;
  });
  return all > 0 ? store / all : 0;
}

/** Whether bin/ffe.js runs the CLI bundle (built, and as new as the tsc output): its own test (bin/entry.js). */
async function bundleCurrent(): Promise<boolean> {
  const { current, STAMP } = (await import(new URL('../../bin/entry.js', import.meta.url).href)) as { current(stamp: unknown): boolean; STAMP: string };
  try {
    return current(JSON.parse(readFileSync(fileURLToPath(new URL(`../../${STAMP}`, import.meta.url)), 'utf8')));
  } catch {
    return false;
  }
}

/** One `ffe run-agent --replay` child: its CPU seconds (user + sys, start-up included) and decisions. */
function replayChild(dir: string, to: string, profileDir?: string): { cpu: number; decisions: number } {
  const bin = fileURLToPath(new URL('../../bin/ffe.js', import.meta.url));
  const db = join(dir, profileDir ? 'profiled.db' : 'replay.db');
  const out = join(dir, profileDir ? 'profiled.json' : 'out.json');
  const args = [
    ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    bin,
    'run-agent',
    '--replay',
    '--assets',
    'BTCUSD,ETHUSD',
    '--from',
    '2024-01-01',
    '--to',
    to,
    '--autonomous',
    '--quiet',
    '--json',
    '--db',
    db,
  ];
  // bash's `times` prints the child's user and system CPU seconds after it exits.
  const quoted = [process.execPath, ...args].map((a) => `'${a}'`).join(' ');
  // The figure's run starts as `ffe` does, from the CLI bundle when it is current (bin/entry.js); the profiled run needs the tsc output's file names.
  const bundle = profileDir ? 'off' : 'on';
  const r = spawnSync('bash', ['-c', `${quoted} > '${out}'; status=$?; times; exit $status`], { env: { ...process.env, FFE_HOME: dir, FFE_CLI_BUNDLE: bundle }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`replay failed (${r.status}): ${r.stderr}`);
  // `times`: shell user/sys, then children user/sys, as "0m1.234s 0m0.100s".
  const secs = (t: string) => {
    const m = /(\d+)m([\d.]+)s/.exec(t)!;
    return Number(m[1]) * 60 + Number(m[2]);
  };
  const [u, s] = r.stdout.trim().split('\n').at(-1)!.split(/\s+/);
  const decisions = (JSON.parse(readFileSync(out, 'utf8')) as { run: { counts: { decisions: number } } }).run.counts.decisions;
  return { cpu: secs(u) + secs(s), decisions };
}

/**
 * The replay twice: unprofiled for the decisions per CPU-second (the profiler's own cost is not
 * ours), then under --cpu-prof for where the time goes (the store's share).
 */
async function replay(): Promise<void> {
  const to = process.env.FFE_BENCH_REPLAY_TO ?? '2025-01-01';
  const dir = scratchDir('ffe-bench-replay-');
  const { cpu, decisions } = replayChild(dir, to);
  const bundled = await bundleCurrent();
  const profiled = replayChild(dir, to, join(dir, 'prof'));
  if (profiled.decisions !== decisions) throw new Error(`replay is not deterministic: ${decisions} decisions, then ${profiled.decisions} under the profiler`);
  const prof = readdirSync(join(dir, 'prof')).find((f) => f.endsWith('.cpuprofile'))!;
  const share = storeShare(join(dir, 'prof', prof));
  console.log(
    `agent replay BTCUSD+ETHUSD 2024-01-01 → ${to} 1h: ${fmt(decisions)} decisions in ${cpu.toFixed(1)} CPU-s (start-up included) = ${fmt(decisions / cpu)}/CPU-s; profiled run ${profiled.cpu.toFixed(1)} CPU-s, store code ${(share * 100).toFixed(1)} % of its samples`,
  );
  recordGoal({
    area: 'execution',
    what: `agent replay BTCUSD+ETHUSD 1h to ${to} (${fmt(decisions)} decisions)`,
    ours: `${fmt(decisions / cpu)} decisions/CPU-s (${cpu.toFixed(1)} CPU-s)`,
    goal: '≥ 2,000 decisions/s (a year in ≤ 10 s)',
    met: decisions / cpu >= 2_000,
    note: `child process CPU (user+sys), start-up included, unprofiled; ${bundled ? 'from the CLI bundle, as `ffe` runs' : 'tsc output (the CLI bundle is missing or older than dist/src: node scripts/bundle-cli.mjs)'}; the profiled run runs the tsc output (the store's file names)`,
  });
  recordGoal({
    area: 'execution',
    what: 'agent replay: store code share of the profile',
    ours: `${(share * 100).toFixed(1)} %`,
    goal: '≤ 10 %',
    met: share <= 0.1,
    note: 'a second, profiled run: samples with a repository, Kysely or better-sqlite3 frame on the stack (self + children)',
  });
}

export async function run(): Promise<void> {
  if (process.env.FFE_BENCH_EXEC_BARS !== 'skip') await executionPath();
  if (process.env.FFE_BENCH_REPLAY_TO !== 'skip') await replay();
}
