import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FfeApi } from '../api.js';
import { localClock, scheduleDailySummary } from './daily-summary.js';
import type { Notification } from './model.js';

let api: FfeApi;
beforeAll(async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'ffe-daily-'));
  api = await FfeApi.open({ cwd, env: { FFE_HOME: join(cwd, 'home'), TZ: 'UTC' } });
});
afterAll(() => api.close());

describe('the daily summary', () => {
  it('reads the clock in the agent time zone', () => {
    // 07:00 UTC on 31 March 2024 is 09:00 in Berlin (summer time began that night).
    expect(localClock(Date.UTC(2024, 2, 31, 7, 0, 30), 'Europe/Berlin')).toEqual({ hhmm: '09:00', day: '2024-03-31' });
    expect(localClock(Date.UTC(2024, 2, 30, 23, 30), 'America/New_York')).toEqual({ hhmm: '19:30', day: '2024-03-30' });
  });

  it('is sent once when the zone clock reads the configured minute, never twice that day, and again the next day', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      let now = Date.UTC(2024, 2, 31, 6, 59, 50); // 08:59:50 in Berlin
      const sent: Notification[] = [];
      const stop = scheduleDailySummary(
        api,
        '09:00',
        'Europe/Berlin',
        (n) => sent.push(n),
        () => now,
      );
      await vi.advanceTimersByTimeAsync(20_000);
      expect(sent).toHaveLength(0);
      now = Date.UTC(2024, 2, 31, 7, 0, 10);
      await vi.advanceTimersByTimeAsync(20_000);
      await vi.waitFor(() => expect(sent).toHaveLength(1));
      expect(sent[0]).toMatchObject({ kind: 'summary' });
      expect(sent[0].title).toMatch(/^Daily summary: agent stopped, portfolio 10000\.00/);
      expect(sent[0].fields.map(([k]) => k)).toEqual(['day P&L', 'open positions', 'trades today', 'closed trades', 'closed P&L', 'kill switch']);
      now = Date.UTC(2024, 2, 31, 7, 0, 40); // the same minute: not again
      await vi.advanceTimersByTimeAsync(20_000);
      now = Date.UTC(2024, 3, 1, 7, 0, 5); // the next day
      await vi.advanceTimersByTimeAsync(20_000);
      await vi.waitFor(() => expect(sent).toHaveLength(2));
      stop();
      now = Date.UTC(2024, 3, 2, 7, 0, 5);
      await vi.advanceTimersByTimeAsync(40_000);
      await new Promise((r) => setTimeout(r, 200));
      expect(sent).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
