import { beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../core/clock.js';
import { principalLabel, type Principal } from '../auth/principal.js';
import type { FfeApi } from '../api.js';
import { requestHash } from './manual-trade.js';
import { botApis, errorOf, sampleClock } from '../../../test/support/bot-api.js';

const CONFIG = `
agent:
  assets: [ETHUSD]
  interval_seconds: 0.05
  approval: autonomous
risk:
  max_concentration: 0.9
  max_leverage: 1
  var_limit: 0.9
`;

const TRADER: Principal = { kind: 'user', id: 'u1', name: 'tess', role: 'trader' };
const OTHER: Principal = { kind: 'api_key', id: 'k1', name: 'bot-key', role: 'trader' };

let clock: Clock;
beforeAll(async () => {
  clock = await sampleClock(CONFIG);
});
const apis = botApis(CONFIG, () => clock);

const BUY = { asset_pair: 'ETHUSD', action: 'BUY' as const, size: 0.01 };
const orders = (api: FfeApi) => api.runtime.app.store.orders.list({});

describe('manual trade with an Idempotency-Key', () => {
  it('the same key and body twice: one order, equal answers', async () => {
    const { api } = await apis.open();
    const a = await api.bot.manualTrade(BUY, { by: TRADER, idempotencyKey: 'k-1' });
    expect(a.status).toBe('filled');
    expect(a.orders).toHaveLength(1);
    // Keys in another order are the same body.
    const b = await api.bot.manualTrade({ size: 0.01, action: 'BUY', asset_pair: 'ETHUSD' }, { by: TRADER, idempotencyKey: 'k-1' });
    expect(b).toEqual(a);
    expect(await orders(api)).toHaveLength(1);
    // Without a key every request is a trade of its own.
    await api.bot.manualTrade(BUY, { by: TRADER });
    expect(await orders(api)).toHaveLength(2);
  });

  it('the same key with another body: IDEMPOTENCY_MISMATCH and no order', async () => {
    const { api } = await apis.open();
    await api.bot.manualTrade(BUY, { by: TRADER, idempotencyKey: 'k-2' });
    const e = await errorOf(api.bot.manualTrade({ ...BUY, size: 0.02 }, { by: TRADER, idempotencyKey: 'k-2' }));
    expect(e.code).toBe('IDEMPOTENCY_MISMATCH');
    expect(await orders(api)).toHaveLength(1);
  });

  it('two concurrent calls with one key: one order, both get the same answer', async () => {
    const { api } = await apis.open();
    const [a, b] = await Promise.all([api.bot.manualTrade(BUY, { by: TRADER, idempotencyKey: 'k-3' }), api.bot.manualTrade(BUY, { by: TRADER, idempotencyKey: 'k-3' })]);
    expect(b).toEqual(a);
    expect(await orders(api)).toHaveLength(1);
  });

  it('two runtimes on one store racing with one key: one order', async () => {
    const first = await apis.open();
    const second = await apis.open(first.h);
    const [a, b] = await Promise.all([first.api.bot.manualTrade(BUY, { by: TRADER, idempotencyKey: 'k-x' }), second.api.bot.manualTrade(BUY, { by: TRADER, idempotencyKey: 'k-x' })]);
    expect(b.decision_id).toBe(a.decision_id);
    expect(await orders(first.api)).toHaveLength(1);
  });

  it('different principals with the same key are independent trades', async () => {
    const { api } = await apis.open();
    const a = await api.bot.manualTrade(BUY, { by: TRADER, idempotencyKey: 'shared' });
    const b = await api.bot.manualTrade({ ...BUY, size: 0.02 }, { by: OTHER, idempotencyKey: 'shared' });
    expect(b.decision_id).not.toBe(a.decision_id);
    expect(await orders(api)).toHaveLength(2);
  });

  it('a crash after the claim, before any order: the retry executes that decision once', async () => {
    const { api, h } = await apis.open();
    // The claim and its decision as manualTrade stores them before the order path, then the process dies.
    const { decision } = await api.trading.analyze('ETHUSD');
    expect(decision.action).toBe('SELL');
    const body = { asset_pair: 'ETHUSD', action: 'SELL' as const, size: 0.01 };
    const claimed = await api.runtime.app.store.idempotency.claim({ key: 'k-crash', principal: principalLabel(TRADER), requestHash: requestHash(body), subject: decision.id, createdAt: clock.now() });
    expect(claimed).toBeNull();
    await apis.close(api);

    const { api: after } = await apis.open(h);
    const r = await after.bot.manualTrade(body, { by: TRADER, idempotencyKey: 'k-crash' });
    expect(r.decision_id).toBe(decision.id);
    expect(r.status).toBe('filled');
    expect(await orders(after)).toHaveLength(1);
    expect(await after.bot.manualTrade(body, { by: TRADER, idempotencyKey: 'k-crash' })).toEqual(r);
    expect(await orders(after)).toHaveLength(1);
  });

  it('a crash after the order, before the answer was stored: the retry answers from the journal, no second order', async () => {
    const { api, h } = await apis.open();
    const first = await api.bot.manualTrade(BUY, { by: TRADER, idempotencyKey: 'k-late' });
    // Lose the stored answer as a crash between the order and `complete` would.
    await api.runtime.app.store.idempotency.complete(principalLabel(TRADER), 'k-late', null);
    await apis.close(api);
    const { api: after } = await apis.open(h);
    const r = await after.bot.manualTrade(BUY, { by: TRADER, idempotencyKey: 'k-late' });
    expect(r.decision_id).toBe(first.decision_id);
    expect(r.orders.map((o) => o.client_order_id)).toEqual(first.orders.map((o) => o.client_order_id));
    expect(r.resumed).toBe(true);
    expect(await orders(after)).toHaveLength(1);
  });
});

describe('manual trade: validation, risk gate, audit', () => {
  it('keys older than 7 days are forgotten; newer ones still answer the retry', async () => {
    const { api } = await apis.open();
    const fresh = await api.bot.manualTrade(BUY, { by: TRADER, idempotencyKey: 'k-new' });
    const who = principalLabel(TRADER);
    const idem = api.runtime.app.store.idempotency;
    await idem.claim({ key: 'k-old', principal: who, requestHash: 'h', subject: 'd', createdAt: clock.now() - 8 * 86_400_000 });
    expect(await api.bot.forgetIdempotencyKeys()).toBe(1);
    expect(await idem.get(who, 'k-old')).toBeNull();
    expect(await api.bot.manualTrade(BUY, { by: TRADER, idempotencyKey: 'k-new' })).toEqual(fresh);
    expect(await orders(api)).toHaveLength(1);
  });

  it('refuses bad fields with TRADE_INVALID naming the field, storing nothing', async () => {
    const { api } = await apis.open();
    const decisionsBefore = (await api.runtime.app.store.decisions.list({ limit: 100 })).length;
    const cases: [Record<string, unknown>, string][] = [
      [{ ...BUY, size: -1 }, 'size'],
      [{ ...BUY, size: 0 }, 'size'],
      [{ ...BUY, size: 'lots' }, 'size'],
      [{ ...BUY, action: 'HOLD' }, 'action'],
      [{ action: 'BUY', size: 1 }, 'asset_pair'],
      [{ ...BUY, asset_pair: 'ZZZQQQ' }, 'asset_pair'],
      [{ ...BUY, price: -5 }, 'price'],
      [{ ...BUY, stop_loss: 1e9 }, 'stop_loss'],
      [{ ...BUY, take_profit: 1 }, 'take_profit'],
    ];
    for (const [body, field] of cases) {
      for (const idempotencyKey of [undefined, `bad-${field}`]) {
        const e = await errorOf(api.bot.manualTrade(body as never, { by: TRADER, idempotencyKey }));
        expect(e.code, JSON.stringify(body)).toBe('TRADE_INVALID');
        expect(e.message.startsWith(`${field}: `), e.message).toBe(true);
        expect(e.details?.field).toBe(field);
        if (idempotencyKey) expect(await api.runtime.app.store.idempotency.get(principalLabel(TRADER), idempotencyKey)).toBeNull();
      }
    }
    expect((await errorOf(api.bot.manualTrade(BUY, { by: TRADER, idempotencyKey: ' ' }))).details?.field).toBe('Idempotency-Key');
    expect(await orders(api)).toEqual([]);
    expect((await api.runtime.app.store.decisions.list({ limit: 100 })).length).toBe(decisionsBefore);
  });

  it('goes through the risk gate: a size over the limits is denied, recorded, and places no order', async () => {
    const { api } = await apis.open();
    const r = await api.bot.manualTrade({ asset_pair: 'ETHUSD', action: 'BUY', size: 1_000 }, { by: TRADER, idempotencyKey: 'big' });
    expect(r.status).toBe('denied');
    expect(r.denials.length).toBeGreaterThan(0);
    expect(r.orders).toEqual([]);
    expect(await orders(api)).toEqual([]);
    const d = await api.runtime.app.decisions.get(r.decision_id);
    expect(d).toMatchObject({ provider: 'manual', action: 'BUY', suggestedSizeUnits: 1_000, executed: false });
    // The retry gets the recorded denial, not a second attempt.
    expect(await api.bot.manualTrade({ asset_pair: 'ETHUSD', action: 'BUY', size: 1_000 }, { by: TRADER, idempotencyKey: 'big' })).toEqual(r);
    await api.runtime.settled();
    const entries = (await api.audit.list({ action: 'decision.execute' })).entries;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: principalLabel(TRADER), role: 'trader', result: 'denied' });
  });

  it('is in the audit log as the principal who placed it', async () => {
    const { api } = await apis.open();
    const r = await api.bot.manualTrade(BUY, { by: TRADER, idempotencyKey: 'audited' });
    await api.runtime.settled();
    const entries = (await api.audit.list({ action: 'decision.execute' })).entries;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: principalLabel(TRADER), role: 'trader', result: 'ok' });
    expect(entries[0].params).toMatchObject({ decision_id: r.decision_id });
    // Closing it is audited as its closer too.
    const [pos] = await api.bot.positions();
    expect((await api.bot.closePosition(pos.id, OTHER)).status).toBe('filled');
    await api.runtime.settled();
    const closes = (await api.audit.list({ action: 'position.close' })).entries;
    expect(closes.map((e) => [e.actor, e.result])).toEqual([[principalLabel(OTHER), 'ok']]);
  });
});
