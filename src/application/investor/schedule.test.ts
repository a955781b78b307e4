import { describe, expect, it } from 'vitest';
import type { Repeat } from '../runtime.js';
import { MEASURE_EVERY_MS, scheduleDailyRuns } from './schedule.js';

const T = (iso: string) => Date.parse(iso);

function harness(cron: string, timezone: string, start: string) {
  let now = T(start);
  let leader = true;
  const started: number[] = [];
  let measured = 0;
  let timers = 0;
  const repeat: Repeat = () => (timers++, () => timers--);
  const s = scheduleDailyRuns(
    cron,
    timezone,
    {
      start: async (slot) => void started.push(slot),
      measure: async () => void measured++,
    },
    { isLeader: () => leader, now: () => now, repeat },
  );
  return {
    s,
    started,
    measured: () => measured,
    timers: () => timers,
    at: (iso: string) => (now = T(iso)),
    lead: (v: boolean) => (leader = v),
  };
}

describe('scheduleDailyRuns (fake clock)', () => {
  it('starts each slot once at its time, in the configured time zone; weekends skipped by the expression', async () => {
    const h = harness('0 7 * * 1-5', 'Europe/Berlin', '2026-12-04T05:00:00Z'); // Friday
    expect(new Date(h.s.next()!).toISOString()).toBe('2026-12-04T06:00:00.000Z'); // 07:00 in Berlin (UTC+1)
    await h.s.tick();
    expect(h.started).toEqual([]);
    h.at('2026-12-04T06:00:01Z');
    await h.s.tick();
    await h.s.tick();
    expect(h.started).toEqual([T('2026-12-04T06:00:00Z')]);
    expect(new Date(h.s.next()!).toISOString()).toBe('2026-12-07T06:00:00.000Z'); // Monday
  });

  it('a follower lets slots pass; slots missed between ticks are not each run late: only the latest one due', async () => {
    const h = harness('0 7 * * *', 'UTC', '2026-12-04T06:59:00Z');
    h.lead(false);
    h.at('2026-12-04T07:00:00Z');
    await h.s.tick();
    expect(h.started).toEqual([]);
    h.lead(true);
    // Three days without a tick (a suspended process): only the slot due now runs, once.
    h.at('2026-12-07T07:00:30Z');
    await h.s.tick();
    expect(h.started).toEqual([T('2026-12-07T07:00:00Z')]);
    expect(new Date(h.s.next()!).toISOString()).toBe('2026-12-08T07:00:00.000Z');
  });

  it('the leader measures pending outcomes hourly between runs; a follower does not; stop ends the timer', async () => {
    const h = harness('0 7 * * *', 'UTC', '2026-12-04T08:00:00Z');
    h.at(new Date(T('2026-12-04T08:00:00Z') + MEASURE_EVERY_MS - 1).toISOString());
    await h.s.tick();
    expect(h.measured()).toBe(0);
    h.at(new Date(T('2026-12-04T08:00:00Z') + MEASURE_EVERY_MS).toISOString());
    await h.s.tick();
    expect(h.measured()).toBe(1);
    h.lead(false);
    h.at('2026-12-04T11:00:00Z');
    await h.s.tick();
    expect(h.measured()).toBe(1);
    expect(h.timers()).toBe(1);
    h.s.stop();
    expect(h.timers()).toBe(0);
  });
});
