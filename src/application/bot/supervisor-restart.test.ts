import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../../core/clock.js';
import type { Principal } from '../auth/principal.js';
import type { FfeApi } from '../api.js';
import { botUseCases } from './index.js';
import { agentKind, botApis, nextEvent, sampleClock } from '../../../test/support/bot-api.js';

const CONFIG = `
agent:
  assets: [ETHUSD]
  interval_seconds: 0.05
  approval: autonomous
monitor:
  poll_interval_seconds: 0.05
`;

const OPERATOR: Principal = { kind: 'user', id: 'u1', name: 'olivia', role: 'operator' };

let clock: Clock;
beforeAll(async () => {
  clock = await sampleClock(CONFIG);
});
const apis = botApis(CONFIG, () => clock);

/**
 * The bot over the real agent, except that its first `failFirst` starts crash (as a start whose
 * position recovery cannot reach the venue does). Records every back-off asked for.
 */
function crashingBot(api: FfeApi, failFirst: number, delayMs: (n: number) => number) {
  const calls = { starts: 0, backoffs: [] as number[] };
  const bot = botUseCases(api.runtime, {
    agent: {
      ...api.agent,
      start: async (over) => {
        calls.starts++;
        if (calls.starts <= failFirst) throw new Error(`venue unreachable (attempt ${calls.starts})`);
        return api.agent.start(over);
      },
    },
    trading: api.trading,
    backoffMs: (n) => {
      const ms = delayMs(n);
      calls.backoffs.push(ms);
      return ms;
    },
  });
  return { bot, calls };
}

describe('bot supervisor: crash and restart', () => {
  it('a crash after a healthy run starts the back-off over', async () => {
    const { api } = await apis.open();
    const backoffs: number[] = [];
    let starts = 0;
    let inner: Awaited<ReturnType<FfeApi['agent']['start']>> | null = null;
    let crashed!: () => void;
    const secondCrash = new Promise<void>((r) => (crashed = r));
    const bot = botUseCases(api.runtime, {
      agent: {
        ...api.agent,
        // 1st start fails; 2nd runs the real agent until the test ends it, then fails as a crash; 3rd fails again.
        start: async (over) => {
          starts++;
          if (starts !== 2) throw new Error(`crash ${starts}`);
          inner = await api.agent.start(over);
          return { ...inner, done: inner.done.then(() => Promise.reject(new Error('crash after a healthy run'))) };
        },
      },
      trading: api.trading,
      backoffMs: (n) => {
        backoffs.push(n);
        if (backoffs.length === 2) crashed();
        return n === 1 ? 10 : 60_000;
      },
      stableMs: 0,
    });
    const cycled = nextEvent(api, agentKind('dry_run'));
    await bot.start({ dry_run: true }, OPERATOR);
    await cycled;
    expect(starts).toBe(2);
    inner!.stop('simulated crash');
    await secondCrash;
    // The second failure followed a run that had started: it counts as the first again.
    expect(backoffs).toEqual([1, 1]);
    expect((await bot.status()).last_error).toBe('crash after a healthy run');
    await bot.shutdown();
  });

  it('restarts a crashed agent after a growing back-off and reports restarts and the last error', async () => {
    const { api } = await apis.open();
    const { bot, calls } = crashingBot(api, 3, (n) => 20 * 2 ** (n - 1));
    const cycled = nextEvent(api, agentKind('dry_run'));
    await bot.start({ dry_run: true }, OPERATOR);
    await cycled;
    const s = await bot.status();
    expect(s.state).toBe('running');
    expect(calls.starts).toBe(4);
    expect(calls.backoffs).toEqual([20, 40, 80]);
    expect(s.restarts).toBe(3);
    expect(s.last_error).toBe('venue unreachable (attempt 3)');
    await bot.shutdown();
    expect((await bot.status()).state).toBe('stopped');
  });

  it('never restarts while the kill switch is tripped', async () => {
    const { api } = await apis.open();
    let inBackoff!: () => void;
    const backingOff = new Promise<void>((r) => (inBackoff = r));
    const { bot, calls } = crashingBot(api, Infinity, () => {
      inBackoff();
      return 300;
    });
    await bot.start({ dry_run: true }, OPERATOR);
    await backingOff;
    expect((await bot.status()).state).toBe('error');
    await api.agent.emergencyStop('user:olivia', 'test halt', { closePositions: false });
    await vi.waitFor(async () => expect((await bot.status()).state).toBe('emergency_stopped'), { timeout: 30_000, interval: 50 });
    expect(calls.starts).toBe(1);
    expect(calls.backoffs).toHaveLength(1);
    // Nor does a start or a resume get past it.
    await expect(bot.start({ dry_run: true }, OPERATOR)).rejects.toMatchObject({ code: 'BOT_EMERGENCY_STOPPED' });
    expect((await bot.resume()).state).toBe('emergency_stopped');
    expect(calls.starts).toBe(1);
    await bot.shutdown();
  });
});
