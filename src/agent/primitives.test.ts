import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { DecayingCounter } from './failure-counter.js';
import { checkKillSwitch } from './kill-switch.js';
import { backoffDelay, retry } from './retry.js';
import { ReplayClock } from './replay-clock.js';
import { tradingDay } from '../core/trading-day.js';

describe('agent primitives', () => {
  it('backs off exponentially with at most 10 % jitter, capped', () => {
    const p = { attempts: 3, baseMs: 1000, maxMs: 3000 };
    expect([0, 1, 2].map((n) => backoffDelay(p, n, () => 0))).toEqual([1000, 2000, 3000]);
    expect(backoffDelay(p, 1, () => 0.999)).toBeCloseTo(2199.8, 6);
  });

  it('retries on the clock and reports the last error after the last attempt', async () => {
    const clock = new ManualClock(0);
    let calls = 0;
    const r = await retry(
      async () => {
        calls++;
        throw new Error(`boom ${calls}`);
      },
      { attempts: 3, baseMs: 100, maxMs: 1000 },
      clock,
      { random: () => 0 },
    );
    expect(r.attempts).toBe(3);
    expect((r.error as Error).message).toBe('boom 3');
    expect(clock.now()).toBe(300);
    const ok = await retry(async (n) => (n < 2 ? Promise.reject(new Error('x')) : 'done'), { attempts: 3, baseMs: 1, maxMs: 1 }, clock);
    expect(ok).toMatchObject({ value: 'done', attempts: 2 });
  });

  it('trips the kill switch at the threshold fraction, not before, and says why', () => {
    expect(checkKillSwitch({ reference: 10000, current: 9501, threshold: 0.05, basis: 'day' }).tripped).toBe(false);
    const v = checkKillSwitch({ reference: 10000, current: 9500, threshold: 0.05, basis: 'since_start' });
    expect(v.tripped).toBe(true);
    expect(v.loss).toBeCloseTo(0.05, 12);
    expect(v.reason).toContain('lost 5.00% since the agent started');
  });

  it('halves failure counts every half-life', () => {
    const c = new DecayingCounter(3_600_000);
    c.add('BTCUSD', 0);
    c.add('BTCUSD', 0);
    expect(c.value('BTCUSD', 0)).toBe(2);
    expect(c.value('BTCUSD', 3_600_000)).toBeCloseTo(1, 12);
    expect(c.value('ETHUSD', 0)).toBe(0);
  });

  it('resets the trading day at midnight of the configured time zone', () => {
    const t = Date.UTC(2024, 2, 1, 3, 0);
    expect(tradingDay(t, 'UTC')).toBe('2024-03-01');
    expect(tradingDay(t, 'America/New_York')).toBe('2024-02-29');
    expect(() => tradingDay(t, 'Mars/Olympus')).toThrow(/unknown time zone/);
  });

  it('replays time: sleeping moves the clock at once, and it knows when the replay is over', async () => {
    const c = new ReplayClock(0, 7200_000);
    await c.sleep(3600_000);
    expect(c.now()).toBe(3600_000);
    expect(c.done).toBe(false);
    await c.sleep(3600_001);
    expect(c.done).toBe(true);
  });
});
