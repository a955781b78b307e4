/**
 * A local stand-in for Binance's public market-data REST API, the part `ffe data download` reads
 * (developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints):
 *
 * - GET /api/v3/exchangeInfo → {timezone, serverTime, rateLimits, exchangeFilters, symbols: [{symbol, status, baseAsset,
 *       quoteAsset, *Precision, orderTypes, isSpotTradingAllowed, filters, permissionSets}]}
 * - GET /api/v3/klines symbol, interval, [startTime], [endTime], [limit] (default 500, max 1000) → bars with open time
 *       ≥ startTime (and ≤ endTime), oldest first, each [openTime, "open", "high", "low", "close", "volume", closeTime,
 *       "quoteAssetVolume", trades, "takerBuyBaseVolume", "takerBuyQuoteVolume", "0"]; an unknown symbol is HTTP 400
 *       {code: -1121, msg: "Invalid symbol."}.
 *
 * `maxLimit` lowers Binance's 1000 so a short series still takes several pages; `failKlinesAt(n)` makes the n-th
 * klines request (1-based) answer HTTP 503 once (a busy load balancer's page), to prove a download resumes.
 */
import type { Candle } from '../../src/core/candle.js';
import { startLoopbackServer } from './loopback-server.js';

const INTERVAL_MS: Record<string, number> = { '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000, '4h': 14_400_000, '1d': 86_400_000 };

export interface FakeKlines {
  url: string;
  /** startTime and limit of every klines request, in order. */
  klinesRequests: { startTime: number | null; limit: number }[];
  failKlinesAt(n: number): void;
  close(): Promise<void>;
}

/** `series`: per Binance symbol (e.g. `BTCUSDT`) and interval, its bars oldest first. */
export async function startFakeKlines(o: { markets: { base: string; quote: string }[]; series: Record<string, Record<string, Candle[]>>; maxLimit?: number }): Promise<FakeKlines> {
  const maxLimit = o.maxLimit ?? 1000;
  const klinesRequests: FakeKlines['klinesRequests'] = [];
  let failAt = 0;
  const reply = (res: import('node:http').ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = await startLoopbackServer((req, _body, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const q = url.searchParams;
    if (req.method === 'GET' && url.pathname === '/api/v3/exchangeInfo') {
      return reply(res, 200, {
        timezone: 'UTC',
        serverTime: Date.now(),
        rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 }],
        exchangeFilters: [],
        symbols: o.markets.map((m) => ({
          symbol: `${m.base}${m.quote}`,
          status: 'TRADING',
          baseAsset: m.base,
          baseAssetPrecision: 8,
          quoteAsset: m.quote,
          quotePrecision: 8,
          quoteAssetPrecision: 8,
          orderTypes: ['LIMIT', 'MARKET'],
          isSpotTradingAllowed: true,
          isMarginTradingAllowed: false,
          filters: [
            { filterType: 'PRICE_FILTER', minPrice: '0.00000100', maxPrice: '1000000.00000000', tickSize: '0.00000100' },
            { filterType: 'LOT_SIZE', minQty: '0.00010000', maxQty: '9000.00000000', stepSize: '0.00010000' },
          ],
          permissionSets: [['SPOT']],
        })),
      });
    }
    if (req.method === 'GET' && url.pathname === '/api/v3/klines') {
      const startTime = q.has('startTime') ? Number(q.get('startTime')) : null;
      const limit = Math.min(Number(q.get('limit') ?? 500), maxLimit);
      klinesRequests.push({ startTime, limit });
      if (klinesRequests.length === failAt) {
        failAt = 0;
        // What the load balancer in front answers when the API is busy: a bare 503 page.
        res.writeHead(503, { 'content-type': 'text/html' });
        return res.end('<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>');
      }
      const interval = q.get('interval') ?? '';
      const bars = o.series[q.get('symbol') ?? '']?.[interval];
      if (!bars) return reply(res, 400, { code: -1121, msg: 'Invalid symbol.' });
      const endTime = q.has('endTime') ? Number(q.get('endTime')) : Infinity;
      const page = bars.filter((b) => b.timestamp >= (startTime ?? 0) && b.timestamp <= endTime).slice(0, limit);
      const s = (x: number) => x.toFixed(8);
      return reply(
        res,
        200,
        page.map((b) => [b.timestamp, s(b.open), s(b.high), s(b.low), s(b.close), s(b.volume), b.timestamp + INTERVAL_MS[interval] - 1, s(b.volume * b.close), 10, s(b.volume / 2), s((b.volume * b.close) / 2), '0']),
      );
    }
    reply(res, 404, { code: -1000, msg: `no route ${req.method} ${url.pathname}` });
  });
  return {
    url: server.url,
    klinesRequests,
    failKlinesAt: (n) => {
      failAt = n;
    },
    close: server.close,
  };
}
