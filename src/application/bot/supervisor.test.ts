import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../../core/clock.js';
import type { DomainEvent } from '../../core/events.js';
import { isFfeError } from '../../core/errors.js';
import { type Principal } from '../auth/principal.js';
import { FfeApi } from '../api.js';
import { configHome } from '../../../test/support/config-home.js';

/** One ETHUSD position (the offline sample makes it a SELL) passes these limits; cycles are short so tests wait on events, not time. */
const CONFIG = `
agent:
  assets: [ETHUSD]
  interval_seconds: 0.05
  approval: autonomous
monitor:
  poll_interval_seconds: 0.05
risk:
  max_concentration: 0.9
  max_leverage: 1
  var_limit: 0.9
`;

const OPERATOR: Principal = { kind: 'user', id: 'u1', name: 'olivia', role: 'operator' };
const ADMIN: Principal = { kind: 'user', id: 'u2', name: 'ada', role: 'admin' };

/**
 * Wall time shifted to the end of the bundled sample: a live agent's analyses see fresh data
 * (ETHUSD is a SELL there) and its waits are real, short ones.
 */
async function sampleClock(): Promise<Clock> {
  const probe = await FfeApi.open(configHome(CONFIG, 'ffe-bot-probe-'));
  const end = (await probe.runtime.app.marketData.sampleInfo('ETHUSD'))!.asOf;
  await probe.close();
  const offset = end - Date.now();
  return { now: () => Date.now() + offset, sleep: (ms, signal) => systemClock.sleep(ms, signal) };
}
let clock: Clock;
beforeAll(async () => {
  clock = await sampleClock();
});

const opened: FfeApi[] = [];
afterEach(async () => {
  while (opened.length) {
    const api = opened.pop()!;
    await api.bot.shutdown();
    await api.close();
  }
});

async function open(h = configHome(CONFIG, 'ffe-bot-')): Promise<{ api: FfeApi; h: typeof h }> {
  const api = await FfeApi.open({ ...h, clock });
  opened.push(api);
  return { api, h };
}

/** Closes a server's runtime as SIGTERM would (the requested state stays as it was). */
async function closeServer(api: FfeApi): Promise<void> {
  await api.bot.shutdown();
  await api.close();
  opened.splice(opened.indexOf(api), 1);
}

/** The next published event that matches; the timeout only guards a broken test. */
function next(api: FfeApi, match: (e: DomainEvent) => boolean, timeoutMs = 60_000): Promise<DomainEvent> {
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

const agentKind = (kind: string) => (e: DomainEvent) => e.type === 'AgentStateChanged' && e.payload.kind === kind;

async function codeOf(p: Promise<unknown>): Promise<{ code: string; message: string; details?: Record<string, unknown> }> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  if (!isFfeError(e)) throw new Error(`expected an FfeError, got ${String(e)}`);
  return { code: e.code, message: e.message, details: e.details };
}

describe('bot supervisor: start, status, stop', () => {
  it('starts the agent in this process, reports it running with its OODA state and settings, refuses a second start, and stops', async () => {
    const { api } = await open();
    expect((await api.bot.status()).state).toBe('stopped');
    const cycled = next(api, agentKind('dry_run'));
    const started = await api.bot.start({ asset_pairs: ['eth/usd'], dry_run: true, take_profit: 0.04, stop_loss: 0.015 }, OPERATOR);
    expect(started.state).toBe('running');
    expect(started.requested).toEqual({ asset_pairs: ['ETHUSD'], autonomous: true, take_profit: 0.04, stop_loss: 0.015, dry_run: true });
    expect(started.requested_state).toBe('running');
    await cycled;
    const s = await api.bot.status();
    expect(s.state).toBe('running');
    expect(typeof s.ooda_state).toBe('string');
    expect(s.uptime_seconds).toBeGreaterThanOrEqual(0);
    expect(typeof s.portfolio_value).toBe('number');
    expect(s.portfolio_value).toBeGreaterThan(0);
    expect(s.last_decision).toMatchObject({ asset_pair: 'ETHUSD', action: 'SELL' });
    // The run's stop applies to what it opens: the engine's policy now uses it.
    expect(s.config.stop_loss_pct).toBe(0.015);
    expect(s.config.provider_weights).toEqual({ rules: 1 });

    expect((await codeOf(api.bot.start({}, OPERATOR))).code).toBe('BOT_RUNNING');

    const stopped = await api.bot.stop(OPERATOR);
    expect(stopped.state).toBe('stopped');
    expect(stopped.requested_state).toBe('stopped');
    // The run's stop no longer applies once it stopped.
    expect(stopped.config.stop_loss_pct).toBe(0.02);
  });

  it('refuses bad start options with one line naming the field', async () => {
    const { api } = await open();
    const cases: [Record<string, unknown>, string][] = [
      [{ asset_pairs: [] }, 'asset_pairs'],
      [{ asset_pairs: ['BTC💥USD'] }, 'asset_pairs'],
      [{ asset_pairs: ['ZZZQQQ'] }, 'asset_pairs'],
      [{ take_profit: 2 }, 'take_profit'],
      [{ stop_loss: 0.0001 }, 'stop_loss'],
      [{ stop_loss: 'x' }, 'stop_loss'],
    ];
    for (const [body, field] of cases) {
      const e = await codeOf(api.bot.start(body, OPERATOR));
      expect(e.code, JSON.stringify(body)).toBe('AGENT_OPTIONS');
      expect(e.message.startsWith(`${field}: `), e.message).toBe(true);
      expect(e.details?.field).toBe(field);
    }
    expect((await api.bot.status()).state).toBe('stopped');
    expect((await api.bot.status()).requested_state).toBe('stopped');
  });

  it('dry run: decisions are made and recorded, no order is placed', async () => {
    const { api } = await open();
    const dry = next(api, agentKind('dry_run'));
    await api.bot.start({ dry_run: true, autonomous: true }, OPERATOR);
    const e = await dry;
    await api.bot.stop(OPERATOR);
    const id = (e.payload.data as { decisionId: string }).decisionId;
    const d = await api.runtime.app.decisions.get(id);
    expect(d).toMatchObject({ action: 'SELL', executed: false });
    expect(await api.runtime.app.store.orders.list({})).toEqual([]);
    expect((await api.bot.status()).open_positions).toBe(0);
  });

  it('dry run in manual mode: the decision is queued for approval, still no order', async () => {
    const { api } = await open();
    const queued = next(api, agentKind('approval'));
    await api.bot.start({ dry_run: true, autonomous: false }, OPERATOR);
    await queued;
    await api.bot.stop(OPERATOR);
    expect((await api.trading.approvals.list('pending')).length).toBeGreaterThan(0);
    expect(await api.runtime.app.store.orders.list({})).toEqual([]);
  });

  it('not dry: the agent places its order through the order path, and status counts the position', async () => {
    const { api } = await open();
    const executed = next(api, agentKind('executed'));
    await api.bot.start({ autonomous: true }, OPERATOR);
    await executed;
    // The stored run counts the trade once the step has finished: read after the stop.
    const s = await api.bot.stop(OPERATOR);
    expect(s.open_positions).toBe(1);
    expect(s.positions[0]).toMatchObject({ asset_pair: 'ETHUSD', side: 'short' });
    expect((await api.bot.positions()).map((p) => p.asset_pair)).toEqual(['ETHUSD']);
    expect(await api.runtime.app.store.orders.list({})).toHaveLength(1);
  });
});

describe('bot supervisor: the requested state survives a restart of the server', () => {
  it('running → resumes through position recovery; stopped → stays stopped; emergency-stopped → stays halted until an admin clears it', async () => {
    const h = configHome(CONFIG, 'ffe-bot-restart-');
    // Running when the server goes down.
    let { api } = await open(h);
    let cycle = next(api, agentKind('dry_run'));
    await api.bot.start({ dry_run: true }, OPERATOR);
    await cycle;
    await closeServer(api);

    ({ api } = await open(h));
    expect((await api.bot.status()).state).toBe('stopped');
    const recovered = next(api, agentKind('recovery'));
    cycle = next(api, agentKind('dry_run'));
    const resumed = await api.bot.resume();
    expect(resumed.state).toBe('running');
    expect(resumed.requested).toMatchObject({ asset_pairs: ['ETHUSD'], dry_run: true });
    await recovered;
    await cycle;

    // Stopped when the server goes down.
    await api.bot.stop(OPERATOR);
    await closeServer(api);
    ({ api } = await open(h));
    expect((await api.bot.resume()).state).toBe('stopped');
    expect(api.runtime.app.store).toBeDefined();

    // Emergency-stopped when the server goes down.
    await api.bot.start({ dry_run: true }, OPERATOR);
    const es = await api.bot.emergencyStop({ close_positions: false, reason: 'test' }, OPERATOR);
    expect(es.status.state).toBe('emergency_stopped');
    expect(es.status.kill_switch.tripped).toBe(true);
    await closeServer(api);
    ({ api } = await open(h));
    expect((await api.bot.resume()).state).toBe('emergency_stopped');
    const refused = await codeOf(api.bot.start({}, OPERATOR));
    expect(refused.code).toBe('BOT_EMERGENCY_STOPPED');
    expect(refused.message).toMatch(/admin must clear/);
    expect((await codeOf(api.bot.clearEmergencyStop('', ADMIN))).code).toBe('REASON_REQUIRED');
    const cleared = await api.bot.clearEmergencyStop('checked the account', ADMIN);
    expect(cleared.state).toBe('stopped');
    expect(cleared.kill_switch.tripped).toBe(false);
    await closeServer(api);
    // Cleared: it stays stopped, and starts again when asked.
    ({ api } = await open(h));
    expect((await api.bot.resume()).state).toBe('stopped');
    expect((await api.bot.start({ dry_run: true }, OPERATOR)).state).toBe('running');
  });

  it('an emergency stop with close_positions closes the open position and halts the agent', async () => {
    const { api } = await open();
    const executed = next(api, agentKind('executed'));
    await api.bot.start({ autonomous: true }, OPERATOR);
    await executed;
    const r = await api.bot.emergencyStop({ close_positions: true }, OPERATOR);
    expect(r.closed.map((c) => [c.asset_pair, c.status])).toEqual([['ETHUSD', 'filled']]);
    expect(r.status.state).toBe('emergency_stopped');
    expect(r.status.open_positions).toBe(0);
  });
});
