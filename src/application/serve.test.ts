import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { FfeApi } from './api.js';
import { IDEMPOTENCY_PRUNE_EVERY_MS, isLoopbackHost, startService, stopService } from './serve.js';
import { configHome } from '../../test/support/config-home.js';
import { manualRepeat } from '../../test/support/manual-repeat.js';

describe('isLoopbackHost', () => {
  it('accepts only addresses no other machine can reach', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) expect([h, isLoopbackHost(h)]).toEqual([h, true]);
    for (const h of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', '128.0.0.1', 'example.com', 'localhost.evil.com', '::ffff:10.0.0.1', '']) expect([h, isLoopbackHost(h)]).toEqual([h, false]);
  });
});

describe('startService housekeeping', () => {
  it('forgets Idempotency-Keys older than 7 days every hour, keeps newer ones, and the runtime stops it on close', async () => {
    const day = 86_400_000;
    const t0 = Date.parse('2026-01-10T00:00:00Z');
    const clock = new ManualClock(t0);
    const r = manualRepeat();
    const api = await FfeApi.open({ ...configHome('', 'ffe-serve-'), clock, repeat: r.repeat });
    try {
      await startService(api);
      expect(r.tasks).toEqual([{ everyMs: IDEMPOTENCY_PRUNE_EVERY_MS, stopped: false }]);
      const idem = api.runtime.app.store.idempotency;
      const claim = (key: string) => idem.claim({ key, principal: 'user:alice', requestHash: 'h', subject: 's', createdAt: clock.now() });
      const known = async () => (await Promise.all(['k-old', 'k-new'].map(async (k) => ((await idem.get('user:alice', k)) ? k : null)))).filter(Boolean);
      await claim('k-old');
      clock.set(t0 + 6 * day);
      await claim('k-new');

      clock.set(t0 + 7 * day + 3_600_000);
      r.tick();
      await api.runtime.settled();
      expect(await known()).toEqual(['k-new']);

      // k-new is 6 days 23 hours old: kept.
      clock.set(t0 + 13 * day - 3_600_000);
      r.tick();
      await api.runtime.settled();
      expect(await known()).toEqual(['k-new']);

      clock.set(t0 + 13 * day + 3_600_000);
      r.tick();
      await api.runtime.settled();
      expect(await known()).toEqual([]);
      await stopService(api);
    } finally {
      await api.close();
    }
    expect(r.tasks).toEqual([{ everyMs: IDEMPOTENCY_PRUNE_EVERY_MS, stopped: true }]);
  });
});
