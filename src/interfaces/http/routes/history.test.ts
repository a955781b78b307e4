import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FfeApi } from '../../../application/api.js';
import { configHome } from '../../../../test/support/config-home.js';
import type { Role } from '../../../application/auth/roles.js';
import { callAs, routeServer } from '../../../../test/support/route-server.js';
import { botRoutes } from './bot.js';
import { portfolioRoutes } from './portfolio.js';

// The dashboard's history reads through a real server on the real SQLite store.
let api: FfeApi;
let app: FastifyInstance;
let url: string;
const now = Date.now();
beforeAll(async () => {
  api = await FfeApi.open(configHome(''));
  const store = api.runtime.app.store;
  const snaps = Array.from({ length: 50 }, (_, i) => ({ account: 'paper', at: now - (50 - i) * 60_000, equity: String(1000 + (i % 10)), currency: 'USD', source: 'test' }));
  await store.equity.recordMany(snaps as never);
  for (let i = 0; i < 4; i++) await api.runtime.app.feedback.agentState.event({ at: now - (4 - i) * 1000, kind: 'transition', state: 'PERCEPTION', message: `step ${i}`, data: { exitReason: 'stop_loss' } });
  ({ app, url } = await routeServer(api));
}, 60_000);
afterAll(async () => {
  await app?.close();
  await api?.close();
});

const get = async (path: string, role: Role = 'viewer') => (await callAs(url, role, 'GET', path)) as { status: number; body: Record<string, unknown> & { error?: { code: string; message: string } } };

describe('history routes', () => {
  it('declare read permission', () => {
    expect(portfolioRoutes.find((r) => r.url === '/api/v1/portfolio/history')?.permission).toBe('read');
    expect(botRoutes.find((r) => r.url === '/api/v1/bot/log')?.permission).toBe('read');
  });

  it('GET /api/v1/portfolio/history: the curve downsampled, last point kept, snake_case summary', async () => {
    const { status, body } = await get('/api/v1/portfolio/history?points=5');
    expect(status).toBe(200);
    const points = body.points as { at: string; equity: number; peak: number; drawdown: number }[];
    expect(points).toHaveLength(5);
    expect(body.total_points).toBe(50);
    expect(points[4]).toMatchObject({ at: new Date(now - 60_000).toISOString(), equity: 1009, peak: 1009, drawdown: 0 });
    expect(body.max_drawdown).toBeCloseTo(9 / 1009, 10);
    expect(body.summary).toMatchObject({ equity: expect.any(Number), first_equity: 1000 });
    const all = await get(`/api/v1/portfolio/history?from=${now - 10 * 60_000 - 1}&to=${now}`);
    expect((all.body.points as unknown[]).length).toBe(10);
  });

  it('a bad query is a one-line 400 naming the field', async () => {
    for (const [q, field] of [
      ['points=0', 'points'],
      ['points=5001', 'points'],
      ['points=abc', 'points'],
      ['from=yesterday', 'from'],
      ['to=2026-13-45', 'to'],
      ['bogus=1', 'bogus'],
    ] as const) {
      const { status, body } = await get(`/api/v1/portfolio/history?${q}`);
      expect(status, q).toBe(400);
      expect(body.error!.message, q).toContain(field);
      expect(body.error!.message, q).not.toContain('\n');
    }
    const range = await get(`/api/v1/portfolio/history?from=${now}&to=${now - 1}`);
    expect(range.status).toBe(400);
    expect(range.body.error!.code).toBe('RANGE_INVALID');
  });

  it('GET /api/v1/bot/log: newest first, limited; 400 for a bad limit; an auditor may not read it', async () => {
    const { status, body } = await get('/api/v1/bot/log?limit=2');
    expect(status).toBe(200);
    const events = body.events as { at: string; message: string; data: Record<string, unknown> }[];
    expect(events.map((e) => e.message)).toEqual(['step 3', 'step 2']);
    expect(events[0].data).toEqual({ exit_reason: 'stop_loss' });
    const bad = await get('/api/v1/bot/log?limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.error!.message).toContain('limit');
    expect((await get('/api/v1/bot/log', 'auditor')).status).toBe(403);
  });
});
