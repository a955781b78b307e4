import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configHome } from '../../test/support/config-home.js';
import { ManualClock } from '../core/clock.js';
import { FfeApi } from './api.js';
import { downsample, withDrawdown } from './portfolio-history.js';

describe('downsample', () => {
  it('keeps everything when it fits, else at most max spread evenly with the first and the last kept', () => {
    const xs = Array.from({ length: 1001 }, (_, i) => i);
    expect(downsample(xs.slice(0, 10), 10)).toEqual(xs.slice(0, 10));
    const d = downsample(xs, 11);
    expect(d).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    const odd = downsample(xs, 7);
    expect(odd).toHaveLength(7);
    expect(odd[0]).toBe(0);
    expect(odd[6]).toBe(1000);
    expect([...odd].sort((a, b) => a - b)).toEqual(odd);
    expect(downsample(xs, 1)).toEqual([1000]);
    expect(downsample([], 5)).toEqual([]);
  });
});

describe('withDrawdown', () => {
  it('carries the running peak and the fraction below it; the deepest drawdown', () => {
    const { curve, maxDrawdown } = withDrawdown([
      { at: 1, equity: 100 },
      { at: 2, equity: 120 },
      { at: 3, equity: 90 },
      { at: 4, equity: 130 },
    ]);
    expect(curve.map((p) => p.peak)).toEqual([100, 120, 120, 130]);
    expect(curve.map((p) => p.drawdown)).toEqual([0, 0, 0.25, 0]);
    expect(maxDrawdown).toBe(0.25);
  });
});

describe('equity history and agent log over the real SQLite store', () => {
  const DAY = 86_400_000;
  const now = Date.UTC(2026, 0, 10, 15, 0);
  let api: FfeApi;
  beforeAll(async () => {
    api = await FfeApi.open({ ...configHome(''), clock: new ManualClock(now) });
    const store = api.runtime.app.store;
    // Ten days of hourly snapshots on the paper account (the default mode), rising 1 per hour, with a dip today.
    const snaps = [];
    for (let t = now - 10 * DAY; t <= now; t += 3_600_000) snaps.push({ account: 'paper', at: t, equity: String(10_000 + (t - (now - 10 * DAY)) / 3_600_000), currency: 'USD', source: 'test' });
    snaps.push({ account: 'live', at: now - 1000, equity: '1', currency: 'USD', source: 'test' });
    await store.equity.recordMany(snaps as never);
    await store.equity.record({ account: 'paper', at: now - 5 * 3_600_000 + 1, equity: '9000', currency: 'USD', source: 'test' } as never);
    for (let i = 0; i < 5; i++)
      await api.runtime.app.feedback.agentState.event({
        at: now - (5 - i) * 60_000,
        kind: i === 4 ? 'denied' : 'transition',
        state: 'DECISION',
        message: `event ${i}`,
        data: i === 4 ? { pair: 'BTCUSD', exitReason: 'x' } : undefined,
      });
  }, 60_000);
  afterAll(() => api?.close());

  it('answers the window downsampled to `points` with the last kept, peak and drawdown per point', async () => {
    const h = await api.insight.equityHistory({ from: new Date(now - 2 * DAY).toISOString(), to: String(now), points: 10 });
    expect(h.account).toBe('paper');
    expect(h.currency).toBe('USD');
    expect(h.total_points).toBe(2 * 24 + 1 + 1);
    expect(h.points).toHaveLength(10);
    expect(h.points[h.points.length - 1]).toMatchObject({ at: new Date(now).toISOString(), equity: 10_240 });
    for (const p of h.points) {
      expect(p.peak).toBeGreaterThanOrEqual(p.equity);
      expect(p.drawdown).toBeCloseTo((p.peak - p.equity) / p.peak, 12);
    }
    // The 9000 dip lies between kept points, yet the window's deepest drawdown counts it.
    expect(h.max_drawdown).toBeCloseTo((10_235 - 9000) / 10_235, 6);
  });

  it('defaults to 30 days and 500 points; P&L today from the day open, overall from the first snapshot', async () => {
    const h = await api.insight.equityHistory();
    expect(h.total_points).toBe(10 * 24 + 1 + 1);
    expect(h.points).toHaveLength(242);
    expect(h.summary.equity).toBe(10_240);
    // Today (UTC) opened at the last snapshot before midnight: 10,000 + 9·24 + 9 hours (midnight is 15 h before now).
    const dayOpen = 10_000 + 10 * 24 - 15;
    expect(h.summary.day_open_equity).toBe(dayOpen);
    expect(h.summary.pnl_today).toBe(10_240 - dayOpen);
    expect(h.summary.first_equity).toBe(10_000);
    expect(h.summary.pnl_overall).toBe(240);
    expect(h.summary.pnl_overall_fraction).toBeCloseTo(0.024, 10);
    expect(h.summary.peak_equity).toBe(10_240);
  });

  it('refuses a bad range or a bad date naming the field', async () => {
    await expect(api.insight.equityHistory({ from: 'yesterday' })).rejects.toMatchObject({ code: 'DATE_INVALID', message: expect.stringMatching(/^from: /) });
    await expect(api.insight.equityHistory({ from: String(now), to: String(now - 1) })).rejects.toMatchObject({ code: 'RANGE_INVALID' });
    await expect(api.insight.equityHistory({ points: 0 })).rejects.toMatchObject({ code: 'RANGE_INVALID', message: expect.stringMatching(/^points: /) });
  });

  it('an empty window answers no points and no P&L', async () => {
    const h = await api.insight.equityHistory({ from: '2020-01-01', to: '2020-02-01' });
    expect(h.points).toEqual([]);
    expect(h.total_points).toBe(0);
    expect(h.max_drawdown).toBe(0);
  });

  it('the agent log is newest first, limited, with ISO times', async () => {
    const { events } = await api.insight.agentLog(3);
    expect(events.map((e) => e.message)).toEqual(['event 4', 'event 3', 'event 2']);
    expect(events[0]).toMatchObject({ at: new Date(now - 60_000).toISOString(), kind: 'denied', state: 'DECISION', data: { pair: 'BTCUSD' } });
    expect(events[1].data).toBeNull();
  });
});
