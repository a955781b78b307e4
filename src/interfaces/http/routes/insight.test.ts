import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FfeApi } from '../../../application/api.js';
import { configHome } from '../../../../test/support/config-home.js';
import type { Role } from '../../../application/auth/roles.js';
import { callAs, routeServer } from '../../../../test/support/route-server.js';
import { insightRoutes } from './insight.js';

// The Decisions and Feedback pages' routes, against a real server over the real SQLite store.
let api: FfeApi;
let app: FastifyInstance;
let url: string;
beforeAll(async () => {
  api = await FfeApi.open(configHome('', 'ffe-insight-routes-'));
  ({ app, url } = await routeServer(api));
}, 60_000);
afterAll(async () => {
  await app?.close();
  await api?.close();
});

const get = async (path: string, role: Role = 'viewer') => (await callAs(url, role, 'GET', path)) as { status: number; body: Record<string, any> };

let seq = 0;
/**
 * A stored decision with the given action, made by provider `ui-test` (the offline provider decides
 * what it decides; the store keeps what it is given), each one a second newer than the last.
 */
async function decisionWith(action: 'BUY' | 'SELL' | 'HOLD', pair = 'BTCUSD', executed = false) {
  const { decision } = await api.trading.analyze(pair);
  seq++;
  const d = { ...decision, id: `${decision.id}-${seq}`, createdAt: new Date(Date.UTC(2030, 0, 1, 0, 0, seq)).toISOString(), assetPair: pair, action, provider: 'ui-test', executed: false };
  await api.runtime.app.store.decisions.save(d);
  if (executed) await api.runtime.app.store.decisions.markExecuted(d.id, { mode: 'paper', venue: 'paper', status: 'filled', executedAt: new Date().toISOString(), orders: [] });
  return d;
}

describe('insight routes', () => {
  it('declare read-only endpoints', () => {
    expect(insightRoutes.map((r) => [r.method, r.url, r.permission, r.audit ?? null])).toEqual([
      ['GET', '/api/v1/memory/report', 'read', null],
      ['GET', '/api/v1/memory/providers', 'read', null],
      ['GET', '/api/v1/insight/decisions/:id', 'read', null],
    ]);
  });

  it('GET /decisions filters by action, provider and executed, pages with the filters kept, and refuses an unknown action', async () => {
    const buy1 = await decisionWith('BUY', 'BTCUSD', true);
    const sell = await decisionWith('SELL', 'ETHUSD');
    const buy2 = await decisionWith('BUY', 'ETHUSD');
    const buys = await get('/api/v1/decisions?action=BUY&provider=ui-test');
    expect(buys.status).toBe(200);
    expect(buys.body.decisions.map((d: { id: string }) => d.id)).toEqual([buy2.id, buy1.id]);
    expect(new Set(buys.body.decisions.map((d: { action: string }) => d.action))).toEqual(new Set(['BUY']));
    const page1 = await get('/api/v1/decisions?action=BUY&provider=ui-test&limit=1');
    expect(page1.body.decisions.map((d: { id: string }) => d.id)).toEqual([buy2.id]);
    const page2 = await get(`/api/v1/decisions?action=BUY&provider=ui-test&limit=1&cursor=${encodeURIComponent(page1.body.next_cursor)}`);
    expect(page2.body.decisions.map((d: { id: string }) => d.id)).toEqual([buy1.id]);
    expect(page2.body.next_cursor).toBeNull();
    expect((await get('/api/v1/decisions?action=SELL&asset=eth-usd&provider=ui-test')).body.decisions.map((d: { id: string }) => d.id)).toEqual([sell.id]);
    expect((await get('/api/v1/decisions?action=BUY&provider=ui-test&executed=true')).body.decisions.map((d: { id: string }) => d.id)).toEqual([buy1.id]);
    expect((await get('/api/v1/decisions?action=BUY&provider=ui-test&executed=false')).body.decisions.map((d: { id: string }) => d.id)).toEqual([buy2.id]);
    const all = (await get('/api/v1/decisions?limit=500')).body.decisions as { provider: string }[];
    expect(all.filter((x) => x.provider !== 'ui-test').length).toBeGreaterThan(0);
    expect((await get('/api/v1/decisions?provider=ui-test&limit=500')).body.decisions).toHaveLength(all.filter((x) => x.provider === 'ui-test').length);
    expect((await get('/api/v1/decisions?provider=no-such-provider')).body.decisions).toEqual([]);
    const bad = await get('/api/v1/decisions?action=SHORT');
    expect(bad.status).toBe(400);
  });

  it("GET /insight/decisions/:id: the pending approval, the gate's denial with its reason codes, the execution; 404 for an unknown id", async () => {
    const queued = await decisionWith('BUY', 'BTCUSD');
    const approval = await api.runtime.app.feedback.approvals.enqueue(queued);
    const a = await get(`/api/v1/insight/decisions/${queued.id}`);
    expect(a.status).toBe(200);
    expect(a.body.approval).toMatchObject({ id: approval.id, decision_id: queued.id, status: 'pending', expires_at: approval.expiresAt });
    expect(a.body.risk).toMatchObject({ status: 'passed', denials: [] });
    expect(a.body.execution).toBeNull();

    const denied = await decisionWith('SELL', 'ETHUSD');
    await api.runtime.app.feedback.agentState.event({
      at: Date.now(),
      kind: 'denied',
      state: 'RISK_CHECK',
      message: 'ETHUSD: SELL denied by the risk gate',
      data: { decisionId: denied.id, pair: 'ETHUSD', action: 'SELL', denials: [{ code: 'VAR_LIMIT', check: 'var', message: 'VaR over the limit', value: 0.07, limit: 0.05 }] },
    });
    const d = await get(`/api/v1/insight/decisions/${denied.id}`);
    expect(d.body.approval).toBeNull();
    expect(d.body.risk).toMatchObject({ status: 'denied', denials: [{ code: 'VAR_LIMIT', check: 'var', message: 'VaR over the limit', value: 0.07, limit: 0.05 }] });

    const done = await decisionWith('BUY', 'BTCUSD', true);
    const e = await get(`/api/v1/insight/decisions/${done.id}`);
    expect(e.body.risk.status).toBe('passed');
    expect(e.body.execution).toMatchObject({ mode: 'paper', status: 'filled', executed_at: expect.any(String) });

    const unknown = await decisionWith('HOLD');
    expect((await get(`/api/v1/insight/decisions/${unknown.id}`)).body.risk).toMatchObject({ status: 'unknown' });

    const missing = await get('/api/v1/insight/decisions/no-such-decision');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('DECISION_NOT_FOUND');
  });

  it('GET /memory/providers and /memory/report: win rate, P&L of each call and weight per provider, from learned outcomes', async () => {
    const empty = await get('/api/v1/memory/providers');
    expect(empty.status).toBe(200);
    expect(empty.body.outcomes).toBe(0);
    // A provider with a weight and no judged trade is listed with its weight and no win rate.
    for (const x of empty.body.providers) expect(x).toMatchObject({ trades: 0, win_rate: null, pnl: 0, weight: expect.any(Number) });
    const base = {
      decisionId: null,
      side: 'long' as const,
      units: 2,
      fees: 0,
      openedAt: 1_700_000_000_000,
      rMultiple: null,
      holdingMs: 3_600_000,
      regime: 'RANGING' as const,
      exitReason: 'take_profit' as const,
      confidence: 70,
    };
    const repo = api.runtime.app.feedback.memoryRepo;
    // Up 10 % then down 5 %: alpha said BUY both times (+20, −10), beta SELL on the first (−20) and HOLD on the second (abstains).
    await repo.addOutcome({
      ...base,
      id: 'o1',
      tradeId: 't1',
      pair: 'BTCUSD',
      entryPrice: 100,
      exitPrice: 110,
      closedAt: 1_700_003_600_000,
      pnl: 20,
      returnFraction: 0.1,
      votes: [
        { provider: 'alpha', action: 'BUY', confidence: 80 },
        { provider: 'beta', action: 'SELL', confidence: 60 },
      ],
    });
    await repo.addOutcome({
      ...base,
      id: 'o2',
      tradeId: 't2',
      pair: 'BTCUSD',
      entryPrice: 100,
      exitPrice: 95,
      closedAt: 1_700_007_200_000,
      pnl: -10,
      returnFraction: -0.05,
      exitReason: 'stop_loss',
      votes: [
        { provider: 'alpha', action: 'BUY', confidence: 70 },
        { provider: 'beta', action: 'HOLD', confidence: 50 },
      ],
    });
    const p = await get('/api/v1/memory/providers');
    expect(p.body.outcomes).toBe(2);
    const byName = Object.fromEntries(p.body.providers.map((x: { provider: string }) => [x.provider, x]));
    expect(byName.alpha).toMatchObject({ trades: 2, wins: 1, win_rate: 0.5 });
    expect(byName.alpha.pnl).toBeCloseTo(10, 9);
    expect(byName.beta).toMatchObject({ trades: 1, wins: 0, win_rate: 0 });
    expect(byName.beta.pnl).toBeCloseTo(-20, 9);
    const r = await get('/api/v1/memory/report');
    expect(r.status).toBe(200);
    expect(r.body.outcomes).toBe(2);
    expect(r.body.pnl).toBeCloseTo(10, 9);
    expect(r.body.by_provider.map((x: { key: string }) => x.key)).toEqual(['alpha', 'beta']);
    expect(r.body.by_asset.map((x: { key: string; n: number }) => [x.key, x.n])).toEqual([['BTCUSD', 2]]);
  });
});
