/**
 * `npm run bench` entry. Each suite module exports `run(): Promise<void>`; add a suite with one
 * line below. `node dist/bench/run.js <name>...` runs only the named suites.
 */
import { goalRows, goalsTable, machineLine } from './report.js';

interface Suite {
  run(): Promise<void>;
}

const suites: Record<string, () => Promise<Suite>> = {
  indicators: () => import('./indicators.bench.js'),
  backtest: () => import('./backtest.bench.js'),
  api: () => import('./api.bench.js'),
  web: () => import('./web.bench.js'),
  failover: () => import('./failover.bench.js'),
  backup: () => import('./backup.bench.js'),
  store: () => import('./store.bench.js'),
  recommendations: () => import('./recommendations.bench.js'),
  ml: () => import('./ml.bench.js'),
  scaling: () => import('./scaling.bench.js'),
  feedback: () => import('./feedback.bench.js'),
  startup: () => import('./startup.bench.js'),
  replay: () => import('./replay.bench.js'),
  bigdata: () => import('./bigdata.bench.js'),
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in suites));
if (unknown.length > 0) {
  console.error(`unknown suite(s): ${unknown.join(', ')}; available: ${Object.keys(suites).join(', ')}`);
  process.exit(2);
}
for (const [name, load] of Object.entries(suites)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.log(`\n=== ${name} ===`);
  const started = performance.now();
  await (await load()).run();
  console.log(`(${name}: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
if (goalRows().length > 0) {
  console.log(`\n=== goals ===\n${machineLine()}\n${goalsTable()}`);
  const short = goalRows().filter((r) => r.met === false);
  console.log(short.length === 0 ? 'every judged goal met' : `short of goal: ${short.map((r) => `${r.area}: ${r.what}`).join('; ')}`);
}
