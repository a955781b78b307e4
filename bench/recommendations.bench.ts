/**
 * The daily recommendation run over 100 watched pairs (issue 16), rules provider only: 10 users
 * each watch 10 pairs of their own plus BTCUSD. The pairs are served by the bundled sample series
 * and the test fixtures' series (a temporary data.bundled.dir whose manifest maps 100 pair names
 * onto those files: each pair is parsed and analysed on its own). Prints the wall-clock time per
 * pair of a cold run (every CSV parsed) and a warm one (second run, same process), and the outcome
 * measurement over the stored recommendations, with the machine's load (a shared machine swings these).
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FfeApi } from '../src/application/api.js';
import type { Principal } from '../src/application/auth/principal.js';
import { defaultBundledDir } from '../src/data/bundled/adapter.js';

const USERS = 10;
const PAIRS = 100;
const load = () => loadavg()[0].toFixed(1);

/** The series a pair can be served from: bundled (real, long) and fixture (short) files. */
const SOURCES: Record<string, string>[] = [
  { '1m': 'bundled/BTCUSD/1m.csv', '1h': 'bundled/BTCUSD/1h.csv', '1d': 'bundled/BTCUSD/1d.csv' },
  { '1h': 'bundled/ETHUSD/1h.csv' },
  { '1h': 'bundled/EURUSD/1h.csv', '1d': 'bundled/EURUSD/1d.csv' },
  { '1d': 'bundled/SPY/1d.csv' },
  { '1h': 'fixtures/BTCUSDT_1h.csv', '1d': 'fixtures/BTCUSD_1d.csv' },
  { '1h': 'fixtures/EURUSD_1h.csv', '1d': 'fixtures/EURUSD_1d.csv' },
  { '1d': 'fixtures/SPY_1d.csv' },
];

/** 100 pair names: the four bundled pairs, then stock-like tickers QAA, QAB, ... */
function pairNames(): string[] {
  const names = ['BTCUSD', 'ETHUSD', 'EURUSD', 'SPY'];
  for (let i = 0; names.length < PAIRS; i++) names.push(`Q${String.fromCharCode(65 + Math.floor(i / 26))}${String.fromCharCode(65 + (i % 26))}`);
  return names;
}

function dataDir(root: string, pairs: string[]): string {
  const dir = join(root, 'data');
  mkdirSync(dir);
  symlinkSync(defaultBundledDir(), join(dir, 'bundled'));
  symlinkSync(resolve('test/fixtures/alpha-vantage'), join(dir, 'fixtures'));
  const manifest = Object.fromEntries(pairs.map((p, i) => [p, { label: `bench copy of ${Object.values(SOURCES[i % SOURCES.length])[0]}`, files: SOURCES[i % SOURCES.length] }]));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

export async function run(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'ffe-rec-bench-'));
  try {
    const pairs = pairNames();
    const dir = dataDir(root, pairs);
    mkdirSync(join(root, 'config'));
    writeFileSync(join(root, 'config/config.yaml'), `data:\n  bundled:\n    dir: ${JSON.stringify(dir)}\nrecommendations:\n  cron: null\n  provider: rules\n  max_pairs: ${PAIRS}\n`);
    const api = await FfeApi.open({ cwd: root, env: { FFE_HOME: join(root, 'home'), TZ: 'UTC' } });
    try {
      for (let u = 0; u < USERS; u++) {
        const who: Principal = { kind: 'user', id: `u${u}`, name: `user${u}`, role: 'viewer' };
        await api.investor.watchlists.create(who, { name: 'bench', pairs: ['BTCUSD', ...pairs.slice(u * 10, u * 10 + 10)] });
      }
      for (const label of ['cold', 'warm']) {
        const t0 = performance.now();
        const { done } = await api.investor.recommendations.runNow();
        const r = await done;
        const ms = performance.now() - t0;
        console.log(`${label} run: ${r.pairs} pairs analysed (${r.errors} errors), ${r.recommendations} recommendations in ${(ms / 1000).toFixed(2)} s: ${(ms / PAIRS).toFixed(1)} ms per watched pair (load ${load()})`);
      }
      const t0 = performance.now();
      const m = await api.investor.recommendations.measure();
      console.log(`outcome measurement: ${m.measured} measured, ${m.pending} pending, ${m.errors} errors in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
    } finally {
      await api.close();
    }
    console.log(`one-minute load average after: ${load()} on ${availableParallelism()} cores`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
