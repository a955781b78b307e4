import { readFileSync } from 'node:fs';

let available = process.platform === 'linux';

/**
 * CPU time of the calling thread so far, in ms (Linux: the scheduler's nanosecond count in
 * /proc/thread-self/schedstat; undefined elsewhere). Node 20 has no per-thread CPU clock and
 * process.cpuUsage() sums every thread, so this is how a worker tells its own time apart from
 * its sibling's and from V8's helper threads. A file read costs microseconds: fine per job,
 * not per bar.
 */
export function threadCpuMs(): number | undefined {
  if (!available) return undefined;
  try {
    const text = readFileSync('/proc/thread-self/schedstat', 'latin1');
    return Number(text.slice(0, text.indexOf(' '))) / 1e6;
  } catch {
    available = false;
    return undefined;
  }
}

/** Wall clock in epoch ms with sub-ms precision, comparable across threads (each has its own timeOrigin). */
export const epochMs = (): number => performance.timeOrigin + performance.now();
