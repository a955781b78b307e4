import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FfeApi } from '../../../application/api.js';
import type { Principal } from '../../../application/auth/principal.js';
import { sma } from '../../../indicators/index.js';
import type { RouteContext, RouteDef } from '../route.js';
import { marketRoutes } from './market.js';

const viewer: Principal = { kind: 'user', id: 'u1', name: 'vic', role: 'viewer' };
let api: FfeApi;
beforeAll(async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'ffe-market-routes-'));
  mkdirSync(join(cwd, 'config'));
  writeFileSync(join(cwd, 'config/config.yaml'), '');
  api = await FfeApi.open({ cwd, env: { FFE_HOME: join(cwd, 'home'), TZ: 'UTC' } });
});
afterAll(() => api.close());

const route = (url: string) => marketRoutes.find((r) => r.url === url)!;
const ctx = (): RouteContext => ({ api, principal: viewer, requestId: 'req-1', idempotencyKey: undefined, ip: '127.0.0.1' });
async function call(r: RouteDef, query: unknown) {
  return r.handler({ query: r.query ? r.query.parse(query) : undefined } as never, ctx());
}

interface Candles {
  pair: string;
  timeframe: string;
  candles: { timestamp: number; close: number }[];
  indicators: { id: string; pane: string; lines: Record<string, (number | null)[]> }[];
  markers: { time: number; kind: string; side: string; price: number | null; id: string }[];
}

describe('market routes', () => {
  it('declare two read endpoints', () => {
    expect(marketRoutes.map((r) => [r.method, r.url, r.permission])).toEqual([
      ['GET', '/api/v1/market/pairs', 'read'],
      ['GET', '/api/v1/market/candles', 'read'],
    ]);
  });

  it('pairs: the bundled data, each with its timeframes in order', async () => {
    const res = (await call(route('/api/v1/market/pairs'), {})) as { pairs: { pair: string; timeframes: string[]; first: string; last: string }[]; timeframes: string[] };
    const btc = res.pairs.find((p) => p.pair === 'BTCUSD');
    expect(btc).toBeDefined();
    expect(btc!.timeframes).toContain('1h');
    expect(Date.parse(btc!.last)).toBeGreaterThan(Date.parse(btc!.first));
    expect(res.timeframes).toContain('1h');
    const order = ['1m', '5m', '15m', '1h', '4h', '1d'];
    expect([...btc!.timeframes].sort((a, b) => order.indexOf(a) - order.indexOf(b))).toEqual(btc!.timeframes);
  });

  it('candles: the last `limit` closed bars, oldest first, with indicators that use past closes only', async () => {
    const res = (await call(route('/api/v1/market/candles'), { pair: 'btc-usd', timeframe: '1h', limit: '50', indicators: 'sma:20,ema:10,bb:20,rsi:14,macd:12:26:9' })) as Candles;
    expect(res.pair).toBe('BTCUSD');
    expect(res.candles).toHaveLength(50);
    for (let i = 1; i < res.candles.length; i++) expect(res.candles[i].timestamp - res.candles[i - 1].timestamp).toBeGreaterThan(0);
    expect(res.candles[res.candles.length - 1].timestamp + 3_600_000).toBeLessThanOrEqual(Date.now());
    expect(res.indicators.map((i) => [i.id, i.pane])).toEqual([
      ['sma:20', 'price'],
      ['ema:10', 'price'],
      ['bb:20', 'price'],
      ['rsi:14', 'oscillator'],
      ['macd:12:26:9', 'oscillator'],
    ]);
    for (const ind of res.indicators) for (const line of Object.values(ind.lines)) expect(line).toHaveLength(50);
    // Warm-up bars were loaded before the shown ones: SMA 20 has a value from the first shown bar.
    const s = res.indicators[0].lines.value;
    expect(s[0]).not.toBeNull();
    // The last SMA is the mean of the last 20 shown closes (nothing after them).
    const last20 = res.candles.slice(-20).map((c) => c.close);
    expect(s[49]).toBeCloseTo(last20.reduce((a, b) => a + b, 0) / 20, 6);
    expect(s[49]).toBeCloseTo(
      sma(
        res.candles.map((c) => c.close),
        20,
      )[49],
      6,
    );
    const bb = res.indicators[2].lines;
    expect(bb.upper[49]!).toBeGreaterThan(bb.lower[49]!);
    expect(bb.middle[49]).toBeCloseTo(s[49]!, 6);
  });

  it("candles: the account's closed trades on the pair inside the span are entry and exit markers; other pairs' are not", async () => {
    const first = (await call(route('/api/v1/market/candles'), { pair: 'BTCUSD', timeframe: '1h', limit: '100' })) as Candles;
    const t0 = first.candles[10].timestamp;
    const t1 = first.candles[40].timestamp;
    const base = { decisionId: 'D1', units: 0.5, fees: 0.2, stopLossPrice: null, venue: 'paper', returnFraction: 0.01, holdingMs: t1 - t0, mfe: null, mae: null, closingOrderId: null, exitDetail: '' };
    const repo = api.runtime.app.feedback.monitorRepo;
    await repo.addMetrics({ ...base, id: 'm1', tradeId: 't1', pair: 'BTCUSD', side: 'long', entryPrice: 100, exitPrice: 110, openedAt: t0, closedAt: t1, exitReason: 'take_profit', pnl: 4.8 });
    await repo.addMetrics({ ...base, id: 'm2', tradeId: 't2', pair: 'ETHUSD', side: 'short', entryPrice: 10, exitPrice: 9, openedAt: t0, closedAt: t1, exitReason: 'stop_loss', pnl: 1 });
    const res = (await call(route('/api/v1/market/candles'), { pair: 'BTCUSD', timeframe: '1h', limit: '100' })) as Candles;
    expect(res.markers.map((m) => [m.kind, m.time, m.price, m.side])).toEqual([
      ['entry', t0, 100, 'long'],
      ['exit', t1, 110, 'long'],
    ]);
    const narrow = (await call(route('/api/v1/market/candles'), { pair: 'BTCUSD', timeframe: '1h', limit: '20' })) as Candles;
    expect(narrow.markers.filter((m) => m.id.startsWith('m1'))).toEqual([]);
  });

  it('refuses each bad query field with a one-line 400', async () => {
    const q = route('/api/v1/market/candles').query!;
    const ok = { pair: 'BTCUSD', timeframe: '1h' };
    expect(q.safeParse(ok).success).toBe(true);
    const path = (x: unknown) => q.safeParse(x).error?.issues[0].path;
    expect(path({ ...ok, timeframe: '2h' })).toEqual(['timeframe']);
    expect(path({ ...ok, limit: '0' })).toEqual(['limit']);
    expect(path({ ...ok, limit: '5000' })).toEqual(['limit']);
    expect(path({ ...ok, limit: 'many' })).toEqual(['limit']);
    expect(path({ ...ok, indicators: 'sma(20)' })).toEqual(['indicators']);
    expect(path({ timeframe: '1h' })).toEqual(['pair']);
    expect(q.safeParse({ ...ok, extra: '1' }).success).toBe(false);
    const bad = async (indicators: string) => call(route('/api/v1/market/candles'), { ...ok, indicators });
    await expect(bad('wma:20')).rejects.toMatchObject({ code: 'INDICATOR_INVALID', httpStatus: 400, message: expect.stringMatching(/^indicators: unknown indicator "wma"/) });
    await expect(bad('sma:0')).rejects.toMatchObject({ code: 'INDICATOR_INVALID', httpStatus: 400 });
    await expect(bad('sma:20:30')).rejects.toMatchObject({ code: 'INDICATOR_INVALID' });
    await expect(bad('macd:26:12:9')).rejects.toMatchObject({ code: 'INDICATOR_INVALID' });
    await expect(bad('sma,sma,sma,sma,sma,sma,sma,sma,sma')).rejects.toMatchObject({ code: 'INDICATOR_INVALID' });
    await expect(call(route('/api/v1/market/candles'), { pair: 'NOPE/XYZ!', timeframe: '1h' })).rejects.toMatchObject({ httpStatus: 400 });
    await expect(call(route('/api/v1/market/candles'), { pair: 'DOGEUSD', timeframe: '1h' })).rejects.toMatchObject({ httpStatus: 404 });
  });
});
