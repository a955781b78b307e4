import { runBacktest } from './engine.js';
import { makeRiskGate, window, type RunInputs } from './inputs.js';
import type { BacktestData, Params } from './port.js';
import { getStrategy } from './strategies/index.js';
import { gaussian, rng } from './synthetic.js';
import type { Metrics } from './types.js';

/** Units of work that run anywhere: in process, on a worker thread, or on an `ffe worker`. */
export type Job =
  | { kind: 'evaluate'; paramSets: Params[]; start: number; end: number; warmup: number }
  | { kind: 'perturb'; params: Params; noise: number; seeds: number[] };

export type JobResult =
  | { kind: 'evaluate'; metrics: Metrics[] }
  | { kind: 'perturb'; finalEquity: number[]; maxDrawdown: number[]; trades: number[] };

type PriceBuffers = { open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array }[];

/**
 * A copy of the bars with every open, high, low and close multiplied by its own 1 + N(0, σ),
 * then repaired so each bar stays consistent: high is the largest and low the smallest price.
 * `reuse` (buffers of an earlier call on the same data) saves the allocation: a Monte Carlo job
 * runs its simulations one after another, and on two cores the GC is what limits scaling.
 */
export function perturb(data: BacktestData, noise: number, seed: number, reuse?: PriceBuffers): BacktestData & { buffers: PriceBuffers } {
  const g = gaussian(rng(seed));
  const buffers: PriceBuffers = reuse ?? data.pairs.map((p) => {
    const n = p.bars.length;
    return { open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n) };
  });
  return {
    timeframe: data.timeframe,
    buffers,
    pairs: data.pairs.map((p, k) => {
      const b = p.bars;
      const n = b.length;
      const { open: o, high: h, low: l, close: c } = buffers[k];
      for (let i = 0; i < n; i++) {
        const oo = Math.max(b.open[i] * (1 + noise * g()), 1e-9);
        const hh = Math.max(b.high[i] * (1 + noise * g()), 1e-9);
        const ll = Math.max(b.low[i] * (1 + noise * g()), 1e-9);
        const cc = Math.max(b.close[i] * (1 + noise * g()), 1e-9);
        o[i] = oo;
        c[i] = cc;
        h[i] = Math.max(oo, hh, ll, cc);
        l[i] = Math.min(oo, hh, ll, cc);
      }
      return { pair: p.pair, first: p.first, bars: { length: n, timestamp: b.timestamp, open: o, high: h, low: l, close: c, volume: b.volume } };
    }),
  };
}

interface Workspace {
  prices: PriceBuffers | undefined;
  scratch: { equity: Float64Array; times: Float64Array };
}

/**
 * Buffers for runs over one set of inputs, kept across jobs: a job is a handful of simulations,
 * and megabytes of fresh typed arrays per job meant page faults and unmaps that serialise the
 * threads of one process. Jobs check a workspace out and back in, so jobs interleaved on one
 * thread (at their awaits) never share one.
 */
const spare = new WeakMap<RunInputs, Workspace[]>();
function checkOut(inp: RunInputs): Workspace {
  const ws = spare.get(inp)?.pop();
  if (ws) return ws;
  const longest = Math.max(...inp.data.pairs.map((p) => p.bars.length)) * inp.data.pairs.length;
  return { prices: undefined, scratch: { equity: new Float64Array(longest), times: new Float64Array(longest) } };
}
function checkIn(inp: RunInputs, ws: Workspace): void {
  const list = spare.get(inp);
  if (list) list.push(ws);
  else spare.set(inp, [ws]);
}

export async function runJob(inp: RunInputs, job: Job): Promise<JobResult> {
  const ws = checkOut(inp);
  try {
    return job.kind === 'evaluate' ? await evaluate(inp, job, ws) : await perturbed(inp, job, ws);
  } finally {
    checkIn(inp, ws);
  }
}

async function evaluate(inp: RunInputs, job: Extract<Job, { kind: 'evaluate' }>, ws: Workspace): Promise<JobResult> {
  const def = getStrategy(inp.strategy);
  const data = window(inp.data, job.start, job.end, job.warmup);
  const metrics: Metrics[] = [];
  for (const params of job.paramSets) {
    const r = await runBacktest(data, def.create(params, data), inp.settings, { risk: makeRiskGate(inp, data), recordFills: false, recordTrades: false, scratch: ws.scratch });
    metrics.push(r.metrics);
  }
  return { kind: 'evaluate', metrics };
}

async function perturbed(inp: RunInputs, job: Extract<Job, { kind: 'perturb' }>, ws: Workspace): Promise<JobResult> {
  const def = getStrategy(inp.strategy);
  const out: JobResult = { kind: 'perturb', finalEquity: [], maxDrawdown: [], trades: [] };
  for (const seed of job.seeds) {
    let data = inp.data;
    if (job.noise > 0) {
      const p = perturb(inp.data, job.noise, seed, ws.prices);
      ws.prices = p.buffers;
      data = p;
    }
    const r = await runBacktest(data, def.create(job.params, data), inp.settings, { risk: makeRiskGate(inp, data), recordFills: false, recordTrades: false, scratch: ws.scratch });
    out.finalEquity.push(r.metrics.finalEquity);
    out.maxDrawdown.push(r.metrics.maxDrawdown);
    out.trades.push(r.metrics.tradeCount);
  }
  return out;
}

/** Something that runs jobs: the in-process runner, a worker_threads pool or the Redis queue. */
export interface JobRunner {
  readonly parallelism: number;
  run(jobs: Job[]): Promise<JobResult[]>;
  close(): Promise<void>;
}

export class InProcessRunner implements JobRunner {
  readonly parallelism = 1;
  constructor(private readonly inputs: RunInputs) {}
  async run(jobs: Job[]): Promise<JobResult[]> {
    const out: JobResult[] = [];
    for (const j of jobs) out.push(await runJob(this.inputs, j));
    return out;
  }
  async close(): Promise<void> {}
}

/** Splits `items` into about `parts` contiguous chunks (more chunks than workers balances the load). */
export function chunk<T>(items: T[], parts: number): T[][] {
  const size = Math.max(1, Math.ceil(items.length / Math.max(1, parts)));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
