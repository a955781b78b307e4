import { Cron } from 'croner';
import { repeatEvery, type Repeat } from '../runtime.js';

/** How often the schedule looks at the clock: a run starts within this of its cron time. */
export const SCHEDULE_CHECK_MS = 30_000;
/** How often the leader measures pending outcomes between runs (a stop or target may be hit any time). */
export const MEASURE_EVERY_MS = 3_600_000;

export interface DailySchedule {
  /** One look at the clock (the timer calls it; tests call it on a fake clock). */
  tick(): Promise<void>;
  /** The next cron slot (ms), or null when none is coming. */
  next(): number | null;
  stop(): void;
}

/**
 * The daily run on `recommendations.cron` (read in `recommendations.timezone`). Only the leader
 * starts it (`isLeader`: servers sharing a store elect one); each slot is also recorded once in
 * the store, so a leader change at the wrong moment cannot run a slot twice. A slot missed while
 * no instance was up is not run late: the next one is. Between runs the leader measures pending
 * outcomes every hour. `now` and `repeat` are injectable: tests drive both.
 */
export function scheduleDailyRuns(
  cron: string,
  timezone: string,
  work: { start(slot: number): Promise<unknown>; measure(): Promise<unknown> },
  o: { isLeader: () => boolean; log?: (m: string) => void; now?: () => number; repeat?: Repeat },
): DailySchedule {
  const now = o.now ?? Date.now;
  const pattern = new Cron(cron, { timezone, paused: true });
  const after = (t: number) => pattern.nextRun(new Date(t))?.getTime() ?? null;
  let next = after(now());
  let lastMeasured = now();
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const t = now();
      if (next !== null && t >= next) {
        // Ticks skipped (a suspended process): only the latest slot due runs, not each one missed.
        let slot = next;
        for (let n = after(slot); n !== null && n <= t; n = after(n)) slot = n;
        next = after(t);
        if (o.isLeader()) await work.start(slot);
      } else if (o.isLeader() && t - lastMeasured >= MEASURE_EVERY_MS) {
        lastMeasured = t;
        await work.measure();
      }
    } catch (e) {
      o.log?.(`recommendations: ${(e as Error).message}`);
    } finally {
      busy = false;
    }
  };
  const stop = (o.repeat ?? repeatEvery)(() => void tick(), SCHEDULE_CHECK_MS);
  return { tick, next: () => next, stop };
}
