/**
 * Where a fan-out run's time goes, from a traced ThreadPool (pool.ts `trace`), in figures that a
 * loaded machine does not scramble: CPU time per thread rather than wall. Used by the scaling
 * bench to show what a 2-worker run does beyond a 1-worker run.
 */
import type { PoolTrace } from '../src/backtest/pool.js';

/** What the bench measured around one `work(pool)` call: epoch ms and CPU ms. */
export interface RunClock {
  /** Epoch ms when the call began and when its promise resolved. */
  begin: number;
  end: number;
  /** process.cpuUsage() over the call: every thread (main, workers, V8's helpers). */
  processCpu: number;
  /** The main thread's own CPU over the call (undefined where threads cannot be told apart). */
  mainCpu?: number;
}

export interface RunProfile {
  jobs: number;
  processCpu: number;
  /** CPU of the jobs themselves, on the worker threads. */
  jobCpu: number;
  /** Worker threads' CPU between their jobs (taking messages, structured clone, GC between jobs). */
  workerGapCpu: number;
  mainCpu: number;
  /** Everything else: V8's platform threads (concurrent GC, compiler) and libuv. */
  otherCpu: number;
  /** Wall ms from the call to the first job starting on a worker, and from the last job ending to the promise resolving. */
  serialBefore: number;
  serialAfter: number;
  /** Job CPU one worker still ran after the other had run out of work (the tail where a core idles). */
  tailCpu: number;
  /** Mean wall ms a worker waited between finishing a job and starting its next (message round trip). */
  dispatchGap: number;
  /** Main-thread CPU per job (posting, taking replies, merging). */
  mainCpuPerJob: number;
  /** Job CPU per worker: how evenly the work was split. */
  perWorkerCpu: number[];
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

export function profileRun(trace: PoolTrace, clock: RunClock): RunProfile | undefined {
  const jobs = trace.jobs.filter((j) => j.span?.cpuStart !== undefined && j.span.cpuEnd !== undefined);
  if (!jobs.length || jobs.length !== trace.jobs.length) return undefined;
  const byWorker = new Map<number, typeof jobs>();
  for (const j of jobs) byWorker.set(j.worker, [...(byWorker.get(j.worker) ?? []), j]);
  const jobCpuOf = (j: (typeof jobs)[number]) => j.span!.cpuEnd! - j.span!.cpuStart!;
  let workerGapCpu = 0;
  let gaps = 0;
  let gapWall = 0;
  const lastEnds: { worker: number; end: number }[] = [];
  const perWorkerCpu: number[] = [];
  for (const [w, list] of byWorker) {
    list.sort((a, b) => a.span!.start - b.span!.start);
    perWorkerCpu[w] = sum(list.map(jobCpuOf));
    workerGapCpu += list[list.length - 1].span!.cpuEnd! - list[0].span!.cpuStart! - perWorkerCpu[w];
    for (let k = 1; k < list.length; k++) {
      gapWall += list[k].span!.start - list[k - 1].span!.end;
      gaps++;
    }
    lastEnds.push({ worker: w, end: list[list.length - 1].span!.end });
  }
  // The tail: CPU the last worker spent after the first one to run dry finished its last job
  // (a job straddling that moment counts by the share of its wall time after it).
  let tailCpu = 0;
  if (lastEnds.length > 1) {
    const dry = Math.min(...lastEnds.map((l) => l.end));
    for (const j of jobs) {
      const { start, end } = j.span!;
      if (end <= dry) continue;
      tailCpu += jobCpuOf(j) * (start >= dry ? 1 : (end - dry) / Math.max(1e-9, end - start));
    }
  }
  const jobCpu = sum(jobs.map(jobCpuOf));
  const mainCpu = clock.mainCpu ?? NaN;
  return {
    jobs: jobs.length,
    processCpu: clock.processCpu,
    jobCpu,
    workerGapCpu,
    mainCpu,
    otherCpu: clock.processCpu - jobCpu - workerGapCpu - mainCpu,
    serialBefore: Math.min(...jobs.map((j) => j.span!.start)) - clock.begin,
    serialAfter: clock.end - Math.max(...jobs.map((j) => j.span!.end)),
    tailCpu,
    dispatchGap: gaps ? gapWall / gaps : 0,
    mainCpuPerJob: mainCpu / jobs.length,
    perWorkerCpu,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** The median of each figure over trials (each on its own, so the result is not one trial). */
export function medianProfile(list: RunProfile[]): RunProfile {
  const pick = (f: (p: RunProfile) => number) => median(list.map(f));
  const workers = Math.max(...list.map((p) => p.perWorkerCpu.length));
  return {
    jobs: pick((p) => p.jobs),
    processCpu: pick((p) => p.processCpu),
    jobCpu: pick((p) => p.jobCpu),
    workerGapCpu: pick((p) => p.workerGapCpu),
    mainCpu: pick((p) => p.mainCpu),
    otherCpu: pick((p) => p.otherCpu),
    serialBefore: pick((p) => p.serialBefore),
    serialAfter: pick((p) => p.serialAfter),
    tailCpu: pick((p) => p.tailCpu),
    dispatchGap: pick((p) => p.dispatchGap),
    mainCpuPerJob: pick((p) => p.mainCpuPerJob),
    perWorkerCpu: Array.from({ length: workers }, (_, w) => pick((p) => p.perWorkerCpu[w] ?? 0)),
  };
}

/**
 * The speed-up 2 idle cores would give, from CPU times alone: one worker's wall is its CPU (the
 * main thread and V8's helpers run on the idle core); two workers' wall is the busier worker's
 * CPU plus half of what the helpers and the main thread take from the two busy cores, plus the
 * serial main-thread stretches. A model, stated as one; the measured wall ratio stays the figure.
 */
export function projectedSpeedUp(one: RunProfile, two: RunProfile): number {
  const wall1 = one.jobCpu + one.workerGapCpu;
  const wall2 = Math.max(...two.perWorkerCpu) + two.workerGapCpu / two.perWorkerCpu.length + (two.otherCpu + two.mainCpu) / 2;
  return wall1 / wall2;
}

export const fmt = (ms: number) => (Number.isFinite(ms) ? `${ms.toFixed(ms < 10 ? 1 : 0)} ms` : 'n/a');

export function describeProfile(p: RunProfile): string {
  return [
    `process CPU ${fmt(p.processCpu)} = jobs ${fmt(p.jobCpu)} (per worker ${p.perWorkerCpu.map(fmt).join(' / ')}) + worker gaps ${fmt(p.workerGapCpu)} + main ${fmt(p.mainCpu)} + other threads ${fmt(p.otherCpu)}`,
    `serial wall before first job ${fmt(p.serialBefore)}, after last ${fmt(p.serialAfter)}; tail CPU ${fmt(p.tailCpu)}; ${p.jobs} jobs, dispatch gap ${fmt(p.dispatchGap)}, main CPU per job ${fmt(p.mainCpuPerJob)}`,
  ].join('\n    ');
}
