import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configHome } from '../../../test/support/config-home.js';
import type { DomainEvent } from '../../core/events.js';
import { FfeApi } from '../api.js';
import type { Principal } from '../auth/principal.js';
import type { Repeat } from '../runtime.js';
import { recommendationRecord } from '../../../test/contract/store/investor.contract.js';
import { investorPersonalData } from './personal-data.js';
import { eventVisibleTo } from './owner.js';

const alice: Principal = { kind: 'user', id: 'u-alice', name: 'alice', role: 'viewer' };
const bob: Principal = { kind: 'user', id: 'u-bob', name: 'bob', role: 'viewer' };
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: { code?: string }) => e.code,
  );

let api: FfeApi;
let now = Date.parse('2026-12-07T06:59:00Z');
const ticks: (() => void)[] = [];
const manual: Repeat = (run) => (ticks.push(run), () => undefined);
const events: DomainEvent[] = [];

beforeAll(async () => {
  api = await FfeApi.open({ ...configHome('recommendations:\n  cron: "0 7 * * 1-5"\n  horizon_days: 5\n'), clock: { now: () => now, sleep: async () => undefined } });
  api.events.subscribe((e) => events.push(e));
}, 60_000);
afterAll(() => api?.close());

describe('watchlists', () => {
  it('CRUD of the caller’s own lists; pairs normalised, unknown ones refused naming `pair`; another user sees nothing', async () => {
    const w = api.investor.watchlists;
    const a = await w.create(alice, { name: 'core', pairs: ['btc-usd', 'EUR/USD', 'spy', 'BTCUSD'] });
    expect(a.pairs).toEqual(['BTCUSD', 'EURUSD', 'SPY']);
    expect(await codeOf(w.create(alice, { name: 'core', pairs: [] }))).toBe('WATCHLIST_NAME_TAKEN');
    const bad = await w.create(alice, { name: 'x', pairs: ['NOT-A-PAIR-AT-ALL'] }).catch((e: Error & { code: string }) => e);
    expect((bad as { code: string }).code).toBe('PAIR_UNKNOWN');
    expect((bad as Error).message).toMatch(/^pair: /);
    expect(await codeOf(w.get(bob, a.id))).toBe('WATCHLIST_NOT_FOUND');
    expect((await w.list(bob)).watchlists).toEqual([]);
    expect((await w.addPair(alice, a.id, 'eth/usd')).pairs).toEqual(['BTCUSD', 'EURUSD', 'SPY', 'ETHUSD']);
    expect((await w.removePair(alice, a.id, 'spy')).pairs).toEqual(['BTCUSD', 'EURUSD', 'ETHUSD']);
    expect(await codeOf(w.removePair(alice, a.id, 'spy'))).toBe('WATCHLIST_INVALID');
    expect((await w.find(alice, 'core')).id).toBe(a.id);
    const b = await w.create(bob, { name: 'core', pairs: ['ETHUSD'] });
    const tmp = await w.create(bob, { name: 'tmp', pairs: [] });
    expect(await codeOf(w.update(bob, tmp.id, { name: 'core' }))).toBe('WATCHLIST_NAME_TAKEN');
    await w.remove(bob, tmp.id);
    expect(await codeOf(w.remove(alice, b.id))).toBe('WATCHLIST_NOT_FOUND');
    expect((await w.list(bob)).watchlists.map((x) => x.name)).toEqual(['core']);
  });
});

describe('consents', () => {
  it('every purpose listed, not granted by default; changes kept in order; unknown purpose refused naming `purpose`', async () => {
    const c = api.investor.consents;
    expect((await c.list(alice)).consents.map((x) => [x.purpose, x.granted, x.at])).toEqual([
      ['telegram_recommendations', false, null],
      ['feedback_learning', false, null],
    ]);
    expect((await c.set(alice, 'feedback_learning', true)).granted).toBe(true);
    await c.set(alice, 'telegram_recommendations', true);
    await c.set(alice, 'telegram_recommendations', false);
    expect((await c.history(alice)).map((h) => [h.purpose, h.granted])).toEqual([
      ['feedback_learning', true],
      ['telegram_recommendations', true],
      ['telegram_recommendations', false],
    ]);
    expect(await c.granted('user:alice', 'feedback_learning')).toBe(true);
    expect(await c.granted('user:alice', 'telegram_recommendations')).toBe(false);
    const e = await c.set(alice, 'marketing', true).catch((x: Error & { code: string }) => x);
    expect([(e as { code: string }).code, (e as Error).message.startsWith('purpose:')]).toEqual(['CONSENT_PURPOSE_UNKNOWN', true]);
  });
});

describe('the scheduled daily run (fake clock)', () => {
  it('runs at the cron time on the leader only, once per slot; one recommendation per user and pair, with votes, stop/target and the disclosure', async () => {
    let leader = false;
    const s = api.investor.schedule({ isLeader: () => leader, now: () => now, repeat: manual })!;
    expect(new Date(s.next()!).toISOString()).toBe('2026-12-07T07:00:00.000Z');
    await s.tick();
    expect(await api.runtime.app.store.investor.latestRun()).toBeNull();
    now = Date.parse('2026-12-07T07:00:10Z');
    await s.tick();
    // A follower lets the slot pass: the leader runs it.
    expect(await api.runtime.app.store.investor.latestRun()).toBeNull();
    expect(new Date(s.next()!).toISOString()).toBe('2026-12-08T07:00:00.000Z');
    leader = true;
    now = Date.parse('2026-12-08T07:00:05Z');
    const before = events.length;
    await s.tick();
    const run = (await api.runtime.app.store.investor.latestRun())!;
    expect(run).toMatchObject({ slot: Date.parse('2026-12-08T07:00:00Z'), trigger: 'schedule' });
    await expect.poll(async () => (await api.runtime.app.store.investor.run(run.id))?.finishedAt, { timeout: 60_000 }).not.toBeNull();
    // The same slot again (another instance, a restarted leader) is refused by the store.
    expect(await api.investor.recommendations.start('schedule', run.slot!)).toBeNull();
    const done = (await api.runtime.app.store.investor.run(run.id))!;
    expect(done).toMatchObject({ pairs: 3, recommendations: 4, errors: 0 });
    const daily = await api.investor.recommendations.daily(alice);
    expect(daily.run?.id).toBe(run.id);
    expect(daily.recommendations.map((r) => r.pair)).toEqual(['BTCUSD', 'ETHUSD', 'EURUSD']);
    for (const r of daily.recommendations) {
      expect(r.disclosure).toMatch(/not investment advice/);
      expect(r.horizon).toBe('5d');
      expect(r.votes.length).toBeGreaterThan(0);
      expect(r.decision_id).not.toBeNull();
      expect(r.entry).toBeGreaterThan(0);
      if (r.action === 'HOLD') expect([r.stop, r.target]).toEqual([null, null]);
      else expect(r.stop).not.toBeNull();
      expect(r.outcome.status).toBe('pending');
    }
    expect((await api.investor.recommendations.daily(bob)).recommendations.map((r) => r.pair)).toEqual(['ETHUSD']);
    const created = events.slice(before).filter((e) => e.type === 'RecommendationCreated');
    expect(created.length).toBe(4);
    expect(created.filter((e) => eventVisibleTo(e, bob)).map((e) => e.payload.pair)).toEqual(['ETHUSD']);
    expect(created.every((e) => eventVisibleTo(e, { kind: 'api_key', id: 'k', name: 'x', role: 'admin' }) === false)).toBe(true);
    s.stop();
  }, 120_000);

  it('history pages newest first with a cursor; a rating is the owner’s only; feedback validated', async () => {
    const h1 = await api.investor.recommendations.history(alice, { limit: 2 });
    expect(h1.recommendations.length).toBe(2);
    const h2 = await api.investor.recommendations.history(alice, { limit: 2, cursor: h1.next_cursor! });
    expect(h2.recommendations.length).toBe(1);
    expect(h2.next_cursor).toBeNull();
    expect((await api.investor.recommendations.history(alice, { pair: 'btc-usd' })).recommendations.map((r) => r.pair)).toEqual(['BTCUSD']);
    const id = h1.recommendations[0].id;
    expect(await codeOf(api.investor.recommendations.get(bob, id))).toBe('RECOMMENDATION_NOT_FOUND');
    expect(await codeOf(api.investor.recommendations.rate(bob, id, { useful: true, acted: true }))).toBe('RECOMMENDATION_NOT_FOUND');
    expect(await codeOf(api.investor.recommendations.rate(alice, id, { useful: true, acted: true, note: 'x'.repeat(1001) }))).toBe('FEEDBACK_INVALID');
    const rated = await api.investor.recommendations.rate(alice, id, { useful: true, acted: false, note: ' good call ' });
    expect(rated.feedback).toMatchObject({ useful: true, acted: false, note: 'good call' });
  });
});

describe('outcome at the horizon, on market data', () => {
  // Bundled BTCUSD 1h bars of 2024: entries placed inside the data, judged on the bars after them.
  const at = Date.parse('2024-03-01T00:00:00Z');
  it('target, stop and horizon exits measured with costs; accuracy per provider and per (consented) feedback class', async () => {
    const store = api.runtime.app.store.investor;
    const bars = await api.runtime.app.marketData.candles({ pair: 'BTCUSD', timeframe: '1h', end: at, limit: 1 });
    const entry = bars[0].close;
    const common = { pair: 'BTCUSD', barTime: at, entry, horizonDays: 2, horizonEndsAt: now - 1, createdAt: at, runId: 'r-old', owner: 'user:alice' };
    const wide = { stop: entry * 0.5, target: entry * 2 };
    await store.addRecommendations([
      recommendationRecord('o-buy-wide', { ...common, ...wide, action: 'BUY', decisionId: 'd1', votes: [{ provider: 'rules', action: 'BUY', confidence: 60 }], feedback: { useful: true, acted: true, note: null, at } }),
      recommendationRecord('o-sell-tight', { ...common, action: 'SELL', stop: entry * 1.0001, target: entry * 0.5, decisionId: 'd2', votes: [{ provider: 'rules', action: 'SELL', confidence: 60 }] }),
      recommendationRecord('o-buy-target', { ...common, action: 'BUY', stop: entry * 0.5, target: entry * 1.01, decisionId: 'd3', owner: 'user:bob', feedback: { useful: false, acted: false, note: null, at } }),
      recommendationRecord('o-hold', { ...common, action: 'HOLD', stop: null, target: null, decisionId: 'd4', votes: [{ provider: 'rules', action: 'HOLD', confidence: 50 }] }),
      recommendationRecord('o-later', { ...common, ...wide, action: 'BUY', horizonEndsAt: now + 86_400_000, decisionId: 'd5' }),
    ]);
    const before = events.length;
    const r = await api.investor.recommendations.measure();
    expect(r.errors).toBe(0);
    const get = async (id: string) => (await store.recommendation(id))!.outcome;
    const horizonBars = await api.runtime.app.marketData.candles({ pair: 'BTCUSD', timeframe: '1h', end: at + 2 * 86_400_000, limit: 48 });
    const exit = horizonBars.at(-1)!.close;
    const cost = 2 * (0.001 + 0.0001);
    expect(await get('o-buy-wide')).toMatchObject({ status: 'horizon', exitPrice: exit });
    expect((await get('o-buy-wide')).returnAfterCosts).toBeCloseTo((exit - entry) / entry - cost, 12);
    expect(await get('o-sell-tight')).toMatchObject({ status: 'stop', correct: false });
    expect(await get('o-buy-target')).toMatchObject({ status: 'target', correct: true });
    expect((await get('o-buy-target')).returnAfterCosts).toBeCloseTo(0.01 - cost, 12);
    expect(await get('o-hold')).toMatchObject({ status: 'horizon', exitPrice: exit, returnAfterCosts: null, correct: null });
    expect((await get('o-later')).status).toBe('pending');
    const measuredEvents = events.slice(before).filter((e) => e.type === 'RecommendationOutcomeMeasured');
    expect(measuredEvents.map((e) => e.payload.id).sort()).toEqual(['o-buy-target', 'o-buy-wide', 'o-hold', 'o-sell-tight']);

    const acc = await api.investor.recommendations.accuracy();
    expect(acc.factor).toBe(0.25);
    const cls = Object.fromEntries(acc.feedback_classes.map((c) => [c.class, c.samples]));
    // Alice consented to feedback_learning: her rating counts. Bob did not: his rated one is unrated.
    expect(cls).toEqual({ useful: 1, acted: 1, not_useful: 0, not_acted: 0, unrated: 2 });
    const rules = acc.providers.find((p) => p.provider === 'rules')!;
    expect(rules.samples).toBe(3); // d1 BUY, d2 SELL, d3 BUY (votes default to rules BUY); the HOLD abstains
    const mem = await api.investor.recommendations.memory();
    expect(mem.blended.find((b) => b.provider === 'rules')).toMatchObject({ trades: 0, recommendations: 3, blended_hit_rate: rules.accuracy });
  });
});

describe('personal data', () => {
  it('exports the user’s watchlists, recommendations and consents; erasure deletes lists and notes, keeps the rest pseudonymised', async () => {
    const store = api.runtime.app.store;
    const doc = (await investorPersonalData.export(store, { id: 'u-alice', name: 'alice' })) as { watchlists: unknown[]; recommendations: { feedback: unknown }[]; consents: unknown[] };
    expect(doc.watchlists.length).toBe(1);
    expect(doc.recommendations.length).toBeGreaterThan(3);
    expect(doc.consents.length).toBe(3);
    const n = await store.transaction((tx) => investorPersonalData.erase(tx, { id: 'u-alice', name: 'alice' }, 'erased-1'));
    expect(n).toBe(1 + doc.recommendations.length + 3);
    const after = (await investorPersonalData.export(store, { id: 'u-alice', name: 'alice' })) as typeof doc;
    expect([after.watchlists, after.recommendations, after.consents]).toEqual([[], [], []]);
    const kept = await store.investor.allRecommendations('erased-1');
    expect(kept.length).toBe(doc.recommendations.length);
    expect(kept.every((r) => r.feedback === null || r.feedback.note === null)).toBe(true);
  });
});
