import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';

/**
 * Accelerated time for replays: `sleep(ms)` moves the clock by `ms` at once (`speed` max) or
 * after ms/speed of real time. Past `end` the replay is over and `done` turns true.
 */
export class ReplayClock implements Clock {
  private t: number;

  constructor(
    start: number,
    /** Mutable: a replay's end is often only known once the data source is open. */
    public end: number,
    private readonly speed: number | 'max' = 'max',
    private readonly real: Clock = systemClock,
  ) {
    this.t = start;
  }

  /** True when sleeps take real time (a `speed`): other processes then see a replay as it goes. */
  get paced(): boolean {
    return this.speed !== 'max';
  }

  now(): number {
    return this.t;
  }

  /** Moves to `t` (a resumed replay starts where the last one left off). */
  set(t: number): void {
    this.t = t;
  }

  get done(): boolean {
    return this.t > this.end;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    if (this.speed !== 'max') await this.real.sleep(ms / this.speed, signal);
    // Yield to the event loop even at max speed, so signals (SIGINT) are handled between cycles.
    else await new Promise<void>((r) => setImmediate(r));
    this.t += ms;
  }
}
