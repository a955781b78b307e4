/**
 * Time source. Live runs use the wall clock; offline samples, replays and backtests use a
 * clock that the driver moves, so the same code never peeks past "now".
 */
export interface Clock {
  now(): number;
  /** Resolves after `ms` of this clock's time (immediately in accelerated replays). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(t);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** A clock set by its owner: `set()` moves time; `sleep` advances it instantly. */
export class ManualClock implements Clock {
  constructor(private t: number) {}
  now(): number {
    return this.t;
  }
  set(t: number): void {
    this.t = t;
  }
  async sleep(ms: number): Promise<void> {
    this.t += ms;
  }
}
