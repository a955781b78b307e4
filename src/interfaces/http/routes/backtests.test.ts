import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FfeApi } from '../../../application/api.js';
import type { Principal } from '../../../application/auth/principal.js';
import type { RouteContext, RouteDef } from '../route.js';
import { backtestRoutes } from './backtests.js';

const analyst: Principal = { kind: 'user', id: 'u1', name: 'ann', role: 'analyst' };
let api: FfeApi;
beforeAll(async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'ffe-bt-routes-'));
  mkdirSync(join(cwd, 'config'));
  writeFileSync(join(cwd, 'config/config.yaml'), '');
  api = await FfeApi.open({ cwd, env: { FFE_HOME: join(cwd, 'home'), TZ: 'UTC' } });
});
afterAll(() => api.close());

const route = (method: RouteDef['method'], url: string) => backtestRoutes.find((r) => r.method === method && r.url === url)!;
const ctx = (): RouteContext => ({ api, principal: analyst, requestId: 'req-1', idempotencyKey: undefined, ip: '127.0.0.1' });
/** What the server does with a request: parse each part with the route's schema, then call the handler. */
async function call(r: RouteDef, input: { body?: unknown; query?: unknown; params?: unknown }) {
  const parsed = {
    body: r.body ? r.body.parse(input.body) : undefined,
    query: r.query ? r.query.parse(input.query ?? {}) : undefined,
    params: r.params ? r.params.parse(input.params) : undefined,
  };
  return r.handler(parsed as never, ctx());
}

describe('backtest routes', () => {
  it('declare the four endpoints with their permissions, statuses and audit actions', () => {
    expect(backtestRoutes.map((r) => [r.method, r.url, r.permission, r.status ?? 200, r.audit ?? null])).toEqual([
      ['POST', '/api/v1/backtests', 'backtest', 202, 'backtest.submit'],
      ['GET', '/api/v1/backtests', 'read', 200, null],
      ['GET', '/api/v1/backtests/:id', 'read', 200, null],
      ['DELETE', '/api/v1/backtests/:id', 'backtest', 200, 'backtest.cancel'],
    ]);
  });

  it("the POST body schema takes each kind's own parameters and refuses another kind's or a wrong type, naming the path", () => {
    const body = route('POST', '/api/v1/backtests').body!;
    const ok = { asset_pair: 'BTCUSD', from: '2024-01-01', to: '2024-02-01', strategy: 'sma-cross' };
    expect(body.safeParse({ kind: 'backtest', params: ok }).success).toBe(true);
    expect(body.safeParse({ kind: 'walk_forward', params: { ...ok, windows: 3 } }).success).toBe(true);
    const wrongKind = body.safeParse({ kind: 'backtest', params: { ...ok, windows: 3 } });
    expect(wrongKind.success).toBe(false);
    const wrongType = body.safeParse({ kind: 'monte_carlo', params: { ...ok, simulations: 'many' } });
    expect(wrongType.error?.issues[0].path).toEqual(['params', 'simulations']);
  });

  it('submit (202 body), get, list and cancel go through api.jobs; the submitter is the caller', async () => {
    const sub = (await call(route('POST', '/api/v1/backtests'), { body: { kind: 'backtest', params: { asset_pair: 'BTCUSD', from: '2024-01-01', to: '2024-02-01', strategy: 'sma-cross' } } })) as {
      id: string;
      status: string;
    };
    expect(sub.status).toBe('queued');
    const done = await api.jobs.wait(sub.id);
    expect(done.status).toBe('succeeded');
    const got = (await call(route('GET', '/api/v1/backtests/:id'), { params: { id: sub.id } })) as { created_by: string; status: string; result: { metrics: unknown } };
    expect(got).toMatchObject({ status: 'succeeded', created_by: 'user:ann' });
    expect(got.result.metrics).toBeDefined();
    const list = (await call(route('GET', '/api/v1/backtests'), { query: { limit: '5', status: 'succeeded' } })) as { jobs: { id: string }[] };
    expect(list.jobs.map((j) => j.id)).toContain(sub.id);
    const full = (await call(route('GET', '/api/v1/backtests'), { query: { status: 'succeeded' } })) as { jobs: { id: string; result?: unknown }[] };
    expect(full.jobs.find((j) => j.id === sub.id)?.result).toBeDefined();
    const light = (await call(route('GET', '/api/v1/backtests'), { query: { status: 'succeeded', results: 'false' } })) as { jobs: { id: string; status: string; result?: unknown }[] };
    const mine = light.jobs.find((j) => j.id === sub.id);
    expect(mine?.status).toBe('succeeded');
    expect(mine && 'result' in mine).toBe(false);
    await expect(call(route('DELETE', '/api/v1/backtests/:id'), { params: { id: sub.id } })).rejects.toMatchObject({ code: 'JOB_FINISHED', httpStatus: 409 });
    await expect(call(route('GET', '/api/v1/backtests/:id'), { params: { id: 'nope' } })).rejects.toMatchObject({ code: 'JOB_NOT_FOUND', httpStatus: 404 });
  });
});
