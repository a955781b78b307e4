import { beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../core/clock.js';
import type { Principal } from '../auth/principal.js';
import { FfeApi } from '../api.js';
import { agentKind, botApis, errorOf, nextEvent, sampleClock } from '../../../test/support/bot-api.js';

/** ETHUSD is a SELL at the end of the offline sample; the limits let one small position through. */
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

let clock: Clock;
beforeAll(async () => {
  clock = await sampleClock(CONFIG);
});
const apis = botApis(CONFIG, () => clock);

const analyze = async (api: FfeApi) => (await api.trading.analyze('ETHUSD')).decision;

describe('bot config: validation', () => {
  it('refuses each out-of-range field with a line naming it, and changes nothing', async () => {
    const { api } = await apis.open();
    const before = (await api.bot.status()).config;
    const cases: [Record<string, unknown>, string][] = [
      [{ stop_loss_pct: 0.11 }, 'stop_loss_pct'],
      [{ stop_loss_pct: 0 }, 'stop_loss_pct'],
      [{ stop_loss_pct: 'x' }, 'stop_loss_pct'],
      [{ position_size_pct: 0.06 }, 'position_size_pct'],
      [{ position_size_pct: -0.01 }, 'position_size_pct'],
      [{ confidence_threshold: 0.49 }, 'confidence_threshold'],
      [{ confidence_threshold: 1.01 }, 'confidence_threshold'],
      [{ max_concurrent_trades: 0 }, 'max_concurrent_trades'],
      [{ max_concurrent_trades: 11 }, 'max_concurrent_trades'],
      [{ max_concurrent_trades: 2.5 }, 'max_concurrent_trades'],
      [{ provider_weights: { nosuch: 1 } }, 'provider_weights.nosuch'],
      [{ provider_weights: { rules: 0.5 } }, 'provider_weights'],
      [{ provider_weights: { rules: -1 } }, 'provider_weights.rules'],
      [{ provider_weights: [] }, 'provider_weights'],
      [{ leverage: 3 }, 'leverage'],
      // A valid field beside an invalid one: the whole patch is refused.
      [{ confidence_threshold: 0.9, stop_loss_pct: 0.5 }, 'stop_loss_pct'],
    ];
    for (const [patch, field] of cases) {
      const e = await errorOf(api.bot.updateConfig(patch as never, OPERATOR));
      expect(e.code, JSON.stringify(patch)).toBe('BOT_CONFIG_INVALID');
      expect(e.message.startsWith(`${field}: `), e.message).toBe(true);
      expect(e.details?.field).toBe(field);
    }
    expect((await api.bot.status()).config).toEqual(before);
    expect(api.runtime.app.tuning.overridden()).toEqual({});
    // Nothing stored either: a fresh runtime on the same home sees the defaults.
    expect(await api.runtime.app.store.agentState.get('bot:config')).toBeNull();
  });

  it('returns what was and is in force, accepts the edges of each range, and merges patches', async () => {
    const { api } = await apis.open();
    const r = await api.bot.updateConfig({ stop_loss_pct: 0.1, confidence_threshold: 0.5 }, OPERATOR);
    expect(r.before).toMatchObject({ stop_loss_pct: 0.02, confidence_threshold: expect.any(Number) as number });
    expect(r.after).toMatchObject({ stop_loss_pct: 0.1, confidence_threshold: 0.5 });
    const r2 = await api.bot.updateConfig({ position_size_pct: 0.05, max_concurrent_trades: 10, provider_weights: { rules: 1 } }, OPERATOR);
    expect(r2.before).toEqual(r.after);
    expect(r2.after).toMatchObject({ stop_loss_pct: 0.1, confidence_threshold: 0.5, position_size_pct: 0.05, max_concurrent_trades: 10, provider_weights: { rules: 1 } });
  });
});

describe('bot config: persisted', () => {
  it('survives closing and reopening the runtime, and another FfeApi on the same home sees it', async () => {
    const first = await apis.open();
    const other = await apis.open(first.h);
    await first.api.bot.updateConfig({ confidence_threshold: 0.8, max_concurrent_trades: 3, stop_loss_pct: 0.03 }, OPERATOR);
    await apis.close(first.api);
    const reopened = await apis.open(first.h);
    expect((await reopened.api.bot.status()).config).toMatchObject({ confidence_threshold: 0.8, max_concurrent_trades: 3, stop_loss_pct: 0.03 });
    // The one opened before the change reads it once it is reopened; a new one at once.
    await apis.close(other.api);
    const third = await apis.open(first.h);
    expect((await third.api.bot.status()).config).toMatchObject({ confidence_threshold: 0.8, max_concurrent_trades: 3, stop_loss_pct: 0.03 });
  });
});

describe('bot config: applied live to the next analysis, order and agent cycle', () => {
  it('confidence_threshold above a decision’s confidence turns its SELL into a HOLD', async () => {
    const { api } = await apis.open();
    const d1 = await analyze(api);
    expect(d1.action).toBe('SELL');
    expect(d1.confidence).toBeLessThan(100);
    const threshold = Math.min(1, Math.max(0.5, (d1.confidence + 1) / 100));
    await api.bot.updateConfig({ confidence_threshold: threshold }, OPERATOR);
    const d2 = await analyze(api);
    expect(d2.action).toBe('HOLD');
    expect(d2.gates.join(' ')).toMatch(/below the decision threshold/);
    // Lowered again: actionable again.
    await api.bot.updateConfig({ confidence_threshold: 0.5 }, OPERATOR);
    expect((await analyze(api)).action).toBe('SELL');
  });

  it('position_size_pct changes the suggested size; stop_loss_pct the stop of the decision and of the order it places', async () => {
    const { api } = await apis.open();
    const d1 = await analyze(api);
    const base = api.runtime.app.tuning.effective().position_size_pct;
    await api.bot.updateConfig({ position_size_pct: base / 2 }, OPERATOR);
    const d2 = await analyze(api);
    expect(d2.suggestedSizeUnits).toBeGreaterThan(0);
    expect(d2.suggestedSizeUnits / d1.suggestedSizeUnits).toBeCloseTo(0.5, 1);

    await api.bot.updateConfig({ stop_loss_pct: 0.05 }, OPERATOR);
    const d3 = await analyze(api);
    expect(d3.action).toBe('SELL');
    expect(d3.stopLossFraction).toBeCloseTo(0.05, 6);
    expect(d3.stopLossPrice!).toBeCloseTo(d3.entryPrice * 1.05, 4);
    const r = await api.trading.execute(d3.id);
    expect(r.status).toBe('filled');
    const [order] = await api.runtime.app.store.orders.list({ decisionId: d3.id });
    expect(Number(order.stopLossPrice)).toBeCloseTo(d3.stopLossPrice!, 4);
  });

  it('max_concurrent_trades: with one position open and the limit at 1, the running agent opens no other', async () => {
    const { api } = await apis.open();
    const manual = await api.bot.manualTrade({ asset_pair: 'BTCUSD', action: 'BUY', size: 0.001 }, { by: OPERATOR });
    expect(manual.status).toBe('filled');
    await api.bot.updateConfig({ max_concurrent_trades: 1 }, OPERATOR);
    const skipped = nextEvent(api, agentKind('skip'));
    await api.bot.start({ autonomous: true }, OPERATOR);
    const e = await skipped;
    expect(String(e.payload.message)).toMatch(/max_concurrent_trades/);
    await api.bot.stop(OPERATOR);
    expect((await api.bot.positions()).map((p) => p.asset_pair)).toEqual(['BTCUSD']);
    expect(await api.runtime.app.store.orders.list({})).toHaveLength(1);

    // Raised while stopped: the next run opens the ETHUSD position.
    await api.bot.updateConfig({ max_concurrent_trades: 2 }, OPERATOR);
    const executed = nextEvent(api, agentKind('executed'));
    await api.bot.start({ autonomous: true }, OPERATOR);
    await executed;
    await api.bot.stop(OPERATOR);
    expect((await api.bot.positions()).map((p) => p.asset_pair).sort()).toEqual(['BTCUSD', 'ETHUSD']);
  });
});
