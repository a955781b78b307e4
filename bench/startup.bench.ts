/**
 * Start-up (issue 17): `ffe --help` and `ffe analyze BTCUSD` (bundled data, no network) as a user
 * runs them, a spawned `node bin/ffe.js`, median of RUNS, wall time and the child's CPU time
 * (user + system from /usr/bin/time). analyze runs with the columnar candle cache off (every run
 * parses the bundled CSVs, as before the cache) and warm (cache hits), and warm from the tsc
 * output instead of the CLI bundle (FFE_CLI_BUNDLE=off): the bundle is built first when it is not
 * the current build's, as `npm run build` does. The peer is `node -e 0`, the
 * floor any Node CLI starts from, measured in the same run. On a loaded machine (load average
 * above the core count) wall time measures the other processes: goals are then judged on CPU.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { recordGoal } from './report.js';

const RUNS = 7;
const REPO = resolve(import.meta.dirname, '../..');
const TIME = '/usr/bin/time';

interface Sample {
  wall: number;
  cpu: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x.toFixed(0)} ms`;

/** One spawn: wall time around it, CPU time of the child from /usr/bin/time (seconds, 10 ms resolution). */
function once(args: string[], env: NodeJS.ProcessEnv, dir: string): Sample {
  const out = join(dir, 'time.txt');
  const t0 = performance.now();
  const r = spawnSync(TIME, ['-f', '%U %S', '-o', out, process.execPath, ...args], { cwd: dir, env, encoding: 'utf8' });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const [user, sys] = readFileSync(out, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
  return { wall, cpu: (user + sys) * 1000 };
}

function measure(label: string, args: string[], env: NodeJS.ProcessEnv, dir: string): Sample {
  once(args, env, dir); // warm the OS file cache (and, for analyze, the store's first open)
  const xs = Array.from({ length: RUNS }, () => once(args, env, dir));
  const m = { wall: median(xs.map((x) => x.wall)), cpu: median(xs.map((x) => x.cpu)) };
  console.log(`${label.padEnd(34)} wall ${ms(m.wall).padStart(8)}  CPU ${ms(m.cpu).padStart(8)}  (median of ${RUNS}, load ${loadavg()[0].toFixed(1)})`);
  return m;
}

export async function run(): Promise<void> {
  if (!existsSync(TIME)) {
    console.log(`startup: ${TIME} not found (apt-get install time); skipped`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'ffe-startup-bench-'));
  try {
    const base = { ...process.env, HOME: dir, FFE_HOME: join(dir, 'home') };
    const ffe = join(REPO, 'bin/ffe.js');
    spawnSync(process.execPath, [join(REPO, 'scripts/bundle-cli.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
    // From the repo's bin/ (this file runs as dist/bench/startup.bench.js).
    const { entry } = (await import(pathToFileURL(join(REPO, 'bin/entry.js')).href)) as typeof import('../bin/entry.js');
    const bundled = entry('cli', 'interfaces/cli/main.js').includes('/cli-bundle/');
    console.log(`bin/ffe.js runs ${bundled ? 'the CLI bundle (dist/src/cli-bundle)' : 'the tsc output (dist/src): no current bundle'}`);
    const peer = measure('node -e 0 (peer)', ['-e', '0'], base, dir);
    const help = measure('ffe --help', [ffe, '--help'], base, dir);
    const parse = measure('ffe analyze BTCUSD (cache off)', [ffe, 'analyze', 'BTCUSD'], { ...base, FFE_CACHE_DIR: 'off' }, dir);
    const cached = measure('ffe analyze BTCUSD (cache hit)', [ffe, 'analyze', 'BTCUSD'], { ...base, FFE_CACHE_DIR: join(dir, 'cache') }, dir);
    const unbundled = measure('ffe analyze BTCUSD (tsc output)', [ffe, 'analyze', 'BTCUSD'], { ...base, FFE_CACHE_DIR: join(dir, 'cache'), FFE_CLI_BUNDLE: 'off' }, dir);

    const loaded = loadavg()[0] > availableParallelism();
    const judged = loaded ? 'CPU' : 'wall';
    const note = `${judged} judged (load ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores${loaded ? ': wall time measures the other processes' : ''}); median of ${RUNS}`;
    const pick = (s: Sample) => (loaded ? s.cpu : s.wall);
    recordGoal({
      area: 'startup',
      what: 'ffe --help',
      ours: `${ms(help.wall)} wall, ${ms(help.cpu)} CPU`,
      peer: `node -e 0: ${ms(peer.wall)} wall, ${ms(peer.cpu)} CPU`,
      ratio: `${(pick(help) / pick(peer)).toFixed(1)}× node -e 0 (${judged})`,
      goal: '≤ 150 ms wall (idle)',
      met: pick(help) <= 150,
      note,
    });
    recordGoal({
      area: 'startup',
      what: 'ffe analyze BTCUSD (bundled, cache hit)',
      ours: `${ms(cached.wall)} wall, ${ms(cached.cpu)} CPU`,
      peer: `node -e 0: ${ms(peer.wall)} wall, ${ms(peer.cpu)} CPU`,
      ratio: `${(pick(cached) / pick(peer)).toFixed(1)}× node -e 0 (${judged})`,
      goal: '≤ 400 ms wall (idle)',
      met: pick(cached) <= 400,
      note: `${note}; ${bundled ? 'CLI bundle' : 'tsc output (no current bundle)'}`,
    });
    recordGoal({
      area: 'startup',
      what: 'ffe analyze: CLI bundle vs the tsc output',
      ours: `bundle ${ms(cached.cpu)} CPU`,
      peer: `dist/src modules ${ms(unbundled.cpu)} CPU`,
      ratio: `${(unbundled.cpu / cached.cpu).toFixed(2)}× less CPU`,
      goal: 'one bundle instead of ~800 modules loaded',
      met: bundled && cached.cpu < unbundled.cpu,
      note: `CPU time, median of ${RUNS}, load ${loadavg()[0].toFixed(1)}`,
    });
    recordGoal({
      area: 'startup',
      what: 'ffe analyze: columnar cache vs parsing the CSVs',
      ours: `cache hit ${ms(cached.cpu)} CPU`,
      peer: `CSV parse every run ${ms(parse.cpu)} CPU`,
      ratio: `${(parse.cpu / cached.cpu).toFixed(2)}× less CPU`,
      goal: 'candles read from a columnar cache, not re-parsed',
      met: cached.cpu < parse.cpu,
      note: `CPU time, median of ${RUNS}, load ${loadavg()[0].toFixed(1)}`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
