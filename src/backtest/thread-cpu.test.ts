import { describe, expect, it } from 'vitest';
import { epochMs, threadCpuMs } from './thread-cpu.js';

describe('threadCpuMs', () => {
  it.runIf(process.platform === 'linux')("counts this thread's CPU: busy work moves it by at least the work's own CPU", () => {
    const before = threadCpuMs()!;
    const c0 = process.cpuUsage();
    let x = 0;
    for (let i = 0; i < 2e7; i++) x += Math.sqrt(i);
    const used = process.cpuUsage(c0);
    const after = threadCpuMs()!;
    expect(x).toBeGreaterThan(0);
    expect(after).toBeGreaterThan(before);
    // The process figure includes other threads (GC helpers), so this thread's share is at most it; schedstat and getrusage
    // account on different clocks, so allow 5 % + 10 ms between them (CI saw 69.3 ms against 69.0).
    expect(after - before).toBeLessThanOrEqual(((used.user + used.system) / 1000) * 1.05 + 10);
  });

  it('epochMs is the wall clock in ms', () => {
    expect(Math.abs(epochMs() - Date.now())).toBeLessThan(1000);
  });
});
