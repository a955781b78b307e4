/**
 * The ml provider (issue 16): per bundled pair, the time to build its walk-forward samples and fit
 * the default forest on them (as `ffe ml train PAIR --until DATE` does), then the provider's time
 * per decision (features from the pulse, forest vote) over the out-of-sample bars after the
 * training end. Wall clock and CPU time, printed with the machine's load: ml-cart's split search
 * is single-threaded and a shared machine stretches wall time, not CPU time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PointInTimeFeed } from '../src/backtest/feed.js';
import { loadFrames } from '../src/backtest/data.js';
import { TIMEFRAME_MS, type Timeframe } from '../src/core/timeframe.js';
import { BundledMarketData } from '../src/data/bundled/adapter.js';
import { MlProvider } from '../src/providers/ml/ml-provider.js';
import { saveModel } from '../src/providers/ml/model-file.js';
import { trainPairs } from '../src/providers/ml/pipeline.js';
import { fakeContext } from '../test/fakes/analysis-context.js';

/** Each bundled pair with a training end leaving out-of-sample bars after it. */
const PAIRS: { pair: string; timeframe: Timeframe; horizon: number; until: string; to: string }[] = [
  { pair: 'BTCUSD', timeframe: '1h', horizon: 12, until: '2024-09-01', to: '2024-10-01' },
  { pair: 'ETHUSD', timeframe: '1h', horizon: 12, until: '2024-09-01', to: '2024-10-01' },
  { pair: 'EURUSD', timeframe: '1h', horizon: 12, until: '2014-01-01', to: '2014-02-01' },
  { pair: 'SPY', timeframe: '1d', horizon: 5, until: '2019-01-01', to: '2019-07-01' },
];
const HISTORY = 300;
const load = () => loadavg()[0].toFixed(1);

export async function run(): Promise<void> {
  console.log(`node ${process.version}; ${availableParallelism()} cores; load average ${load()} before the run`);
  const md = new BundledMarketData();
  const dir = mkdtempSync(join(tmpdir(), 'ffe-ml-bench-'));
  try {
    for (const p of PAIRS) {
      const until = Date.parse(p.until);
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const file = await trainPairs(md, { pairs: [p.pair], timeframe: p.timeframe, horizon: p.horizon, cost: 0.0022, from: 0, until, historyBars: HISTORY });
      const trainMs = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const path = join(dir, `${p.pair}.json`);
      saveModel(path, file);
      const provider = new MlProvider('ml', path);

      // Decisions over the month after the training end, each from the pulse the live engine would compute.
      const to = Date.parse(p.to);
      const frames = await loadFrames(md, p.pair, until, to, HISTORY);
      const feed = new PointInTimeFeed(p.pair, frames, HISTORY);
      const ms = TIMEFRAME_MS[p.timeframe];
      let decisions = 0;
      let decideMs = 0;
      for (let t = until + ms; t <= to; t += ms) {
        const { pulse, regime } = feed.at(t);
        const d0 = performance.now();
        const r = await provider.decide(fakeContext({ asOf: t, pulse, regime }));
        decideMs += performance.now() - d0;
        if (!r.ok) throw new Error(`${p.pair}: ${r.reason}`);
        decisions++;
      }
      console.log(
        `${p.pair} ${p.timeframe}: train ${file.training.samples} samples (fitted on ${Math.min(file.training.samples, file.params.maxSamples)}), ${file.params.nEstimators} trees: ${(trainMs / 1000).toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU; ` +
          `inference ${(decideMs / decisions).toFixed(3)} ms per decision over ${decisions} decisions; hold-out accuracy ${(100 * file.training.validation.accuracy).toFixed(1)}% (load ${load()})`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`load average ${load()} after the run`);
}
