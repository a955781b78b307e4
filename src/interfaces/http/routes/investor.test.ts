import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FfeApi } from '../../../application/api.js';
import { configHome } from '../../../../test/support/config-home.js';
import { tokenFor } from '../../../../test/support/http-auth.js';
import { callAs, routeServer } from '../../../../test/support/route-server.js';
import type { Role } from '../../../application/auth/roles.js';

let api: FfeApi;
let app: FastifyInstance;
let url: string;

beforeAll(async () => {
  api = await FfeApi.open(configHome('recommendations:\n  cron: null\n'));
  ({ app, url } = await routeServer(api));
}, 60_000);
afterAll(async () => {
  await app?.close();
  await api?.close();
});

/** A JSON request as `role`'s test API key: status and body. */
const call = (role: Role, method: string, path: string, body?: unknown) => callAs(url, role, method, path, body);

describe('watchlist routes', () => {
  it('create 201, list, get, put, add and remove a pair, delete 204; pairs normalised; another caller gets 404', async () => {
    const made = await call('viewer', 'POST', '/api/v1/watchlists', { name: 'mine', pairs: ['btc-usd', 'spy'] });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ name: 'mine', pairs: ['BTCUSD', 'SPY'] });
    expect(typeof made.body.created_at).toBe('string');
    const id = made.body.id as string;
    expect((await call('viewer', 'GET', '/api/v1/watchlists')).body.watchlists.map((w: { id: string }) => w.id)).toEqual([id]);
    expect((await call('trader', 'GET', '/api/v1/watchlists')).body.watchlists).toEqual([]);
    const other = await call('trader', 'GET', `/api/v1/watchlists/${id}`);
    expect([other.status, other.body.error.code]).toEqual([404, 'WATCHLIST_NOT_FOUND']);
    expect((await call('trader', 'DELETE', `/api/v1/watchlists/${id}`)).status).toBe(404);
    expect((await call('viewer', 'GET', `/api/v1/watchlists/${id}`)).body.name).toBe('mine');
    expect((await call('viewer', 'PUT', `/api/v1/watchlists/${id}`, { name: 'renamed' })).body).toMatchObject({ name: 'renamed', pairs: ['BTCUSD', 'SPY'] });
    expect((await call('viewer', 'POST', `/api/v1/watchlists/${id}/pairs`, { pair: 'eur/usd' })).body.pairs).toEqual(['BTCUSD', 'SPY', 'EURUSD']);
    const unknown = await call('viewer', 'POST', `/api/v1/watchlists/${id}/pairs`, { pair: 'NOTAPAIR99' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/^pair: /);
    expect((await call('viewer', 'DELETE', `/api/v1/watchlists/${id}/pairs/SPY`)).body.pairs).toEqual(['BTCUSD', 'EURUSD']);
    const dup = await call('viewer', 'POST', '/api/v1/watchlists', { name: 'renamed', pairs: [] });
    expect([dup.status, dup.body.error.code]).toEqual([409, 'WATCHLIST_NAME_TAKEN']);
    const spare = await call('viewer', 'POST', '/api/v1/watchlists', { name: 'spare', pairs: [] });
    expect((await call('viewer', 'DELETE', `/api/v1/watchlists/${spare.body.id}`)).status).toBe(204);
    const bad = await call('viewer', 'POST', '/api/v1/watchlists', { pairs: 'BTCUSD' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('REQUEST_INVALID');
  });
});

describe('consent routes', () => {
  it('list every purpose; put records a change; unknown purpose is a 400 naming it', async () => {
    const list = await call('viewer', 'GET', '/api/v1/consents');
    expect(list.body.consents.map((c: { purpose: string; granted: boolean }) => [c.purpose, c.granted])).toEqual([
      ['telegram_recommendations', false],
      ['feedback_learning', false],
    ]);
    const put = await call('viewer', 'PUT', '/api/v1/consents/feedback_learning', { granted: true });
    expect(put.body).toMatchObject({ purpose: 'feedback_learning', granted: true, version: '2026-12' });
    expect(typeof put.body.at).toBe('string');
    expect((await call('trader', 'GET', '/api/v1/consents')).body.consents.every((c: { granted: boolean }) => !c.granted)).toBe(true);
    const bad = await call('viewer', 'PUT', '/api/v1/consents/newsletter', { granted: true });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'CONSENT_PURPOSE_UNKNOWN']);
    expect(bad.body.error.message).toMatch(/^purpose: /);
  });
});

describe('recommendation routes', () => {
  it('run (operator, 202), daily and history of the caller’s own, feedback, accuracy; recommendation events reach their owner only over the WebSocket', async () => {
    expect((await call('viewer', 'GET', '/api/v1/recommendations/daily')).body).toEqual({ run: null, recommendations: [] });
    await call('trader', 'POST', '/api/v1/watchlists', { name: 't', pairs: ['ETHUSD'] });
    const viewerWs = new WebSocket(`${url.replace('http', 'ws')}/ws?token=${tokenFor('viewer')}&types=RecommendationCreated`);
    const frames: { type: string; payload?: { pair: string } }[] = [];
    viewerWs.on('message', (d) => frames.push(JSON.parse(String(d)) as (typeof frames)[number]));
    await expect.poll(() => frames.some((f) => f.type === 'subscribed')).toBe(true);

    const future = await call('operator', 'POST', `/api/v1/recommendations/run?as_of=${new Date(Date.now() + 86_400_000).toISOString()}`);
    expect([future.status, future.body.error?.message]).toEqual([400, expect.stringMatching(/^as_of/)]);
    const started = await call('operator', 'POST', '/api/v1/recommendations/run');
    expect(started.status).toBe(202);
    expect(started.body.run).toMatchObject({ finished_at: null });
    await expect.poll(async () => (await call('viewer', 'GET', '/api/v1/recommendations/daily')).body.run?.finished_at, { timeout: 60_000 }).not.toBeNull();
    const daily = (await call('viewer', 'GET', '/api/v1/recommendations/daily')).body;
    expect(daily.run).toMatchObject({ id: started.body.run.id, pairs: 3, recommendations: 3, errors: 0 });
    expect(daily.recommendations.map((r: { pair: string }) => r.pair)).toEqual(['BTCUSD', 'EURUSD']);
    expect((await call('trader', 'GET', '/api/v1/recommendations/daily')).body.recommendations.map((r: { pair: string }) => r.pair)).toEqual(['ETHUSD']);
    await expect.poll(() => frames.filter((f) => f.type === 'RecommendationCreated').length).toBe(2);
    expect(frames.filter((f) => f.type === 'RecommendationCreated').map((f) => f.payload!.pair)).toEqual(['BTCUSD', 'EURUSD']);
    viewerWs.close();

    const rec = daily.recommendations[0];
    expect(rec).toMatchObject({ horizon: '5d', outcome: { status: 'pending' }, feedback: null });
    expect(rec.disclosure).toMatch(/not investment advice/);
    expect((await call('viewer', 'GET', `/api/v1/recommendations/${rec.id}`)).body.id).toBe(rec.id);
    expect((await call('trader', 'GET', `/api/v1/recommendations/${rec.id}`)).status).toBe(404);
    const rated = await call('viewer', 'POST', `/api/v1/recommendations/${rec.id}/feedback`, { useful: false, acted: true, note: 'too early' });
    expect(rated.body.feedback).toMatchObject({ useful: false, acted: true, note: 'too early' });
    expect((await call('trader', 'POST', `/api/v1/recommendations/${rec.id}/feedback`, { useful: true, acted: true })).status).toBe(404);
    const tooLong = await call('viewer', 'POST', `/api/v1/recommendations/${rec.id}/feedback`, { useful: true, acted: true, note: 'x'.repeat(1001) });
    expect(tooLong.status).toBe(400);

    const page = (await call('viewer', 'GET', '/api/v1/recommendations/history?limit=1')).body;
    expect(page.recommendations.length).toBe(1);
    const next = (await call('viewer', 'GET', `/api/v1/recommendations/history?limit=1&cursor=${page.next_cursor}`)).body;
    expect(next.recommendations.length).toBe(1);
    expect(next.next_cursor).toBeNull();
    expect((await call('viewer', 'GET', '/api/v1/recommendations/history?pair=eur-usd')).body.recommendations.map((r: { pair: string }) => r.pair)).toEqual(['EURUSD']);
    expect((await call('viewer', 'GET', '/api/v1/recommendations/history?cursor=junk')).status).toBe(400);

    const acc = (await call('viewer', 'GET', '/api/v1/recommendations/accuracy')).body;
    expect(acc.factor).toBe(0.25);
    expect(acc.feedback_classes.map((c: { class: string }) => c.class)).toEqual(['useful', 'not_useful', 'acted', 'not_acted', 'unrated']);
  }, 120_000);
});
