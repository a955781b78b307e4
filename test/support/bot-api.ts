import { afterEach } from 'vitest';
import { systemClock, type Clock } from '../../src/core/clock.js';
import type { DomainEvent } from '../../src/core/events.js';
import { isFfeError } from '../../src/core/errors.js';
import { FfeApi } from '../../src/application/api.js';
import { configHome } from './config-home.js';

/**
 * Wall time shifted to the end of the bundled sample of `pair`: analyses see fresh data and waits
 * are real, short ones.
 */
export async function sampleClock(config: string, pair = 'ETHUSD'): Promise<Clock> {
  const probe = await FfeApi.open(configHome(config, 'ffe-bot-probe-'));
  const end = (await probe.runtime.app.marketData.sampleInfo(pair))!.asOf;
  await probe.close();
  const offset = end - Date.now();
  return { now: () => Date.now() + offset, sleep: (ms, signal) => systemClock.sleep(ms, signal) };
}

/** Opens FfeApis on temp homes and shuts each down (agent stopped, runtime closed) after every test. */
export function botApis(config: string, clock: () => Clock) {
  const opened: FfeApi[] = [];
  afterEach(async () => {
    while (opened.length) {
      const api = opened.pop()!;
      await api.bot.shutdown();
      await api.close();
    }
  });
  return {
    async open(h = configHome(config, 'ffe-bot-')): Promise<{ api: FfeApi; h: typeof h }> {
      const api = await FfeApi.open({ ...h, clock: clock() });
      opened.push(api);
      return { api, h };
    },
    /** Closes a runtime as SIGTERM would. */
    async close(api: FfeApi): Promise<void> {
      await api.bot.shutdown();
      await api.close();
      opened.splice(opened.indexOf(api), 1);
    },
  };
}

/** The next published event that matches; the timeout only guards a broken test. */
export function nextEvent(api: FfeApi, match: (e: DomainEvent) => boolean, timeoutMs = 60_000): Promise<DomainEvent> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      off();
      reject(new Error('no matching event'));
    }, timeoutMs);
    const off = api.events.subscribe((e) => {
      if (match(e)) {
        clearTimeout(t);
        off();
        resolve(e);
      }
    });
  });
}

export const agentKind = (kind: string) => (e: DomainEvent) => e.type === 'AgentStateChanged' && e.payload.kind === kind;

/** The FfeError a promise rejects with (fails the test when it resolves or throws something else). */
export async function errorOf(p: Promise<unknown>): Promise<{ code: string; message: string; details?: Record<string, unknown> }> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  if (!isFfeError(e)) throw new Error(`expected an FfeError, got ${String(e)}`);
  return { code: e.code, message: e.message, details: e.details };
}
