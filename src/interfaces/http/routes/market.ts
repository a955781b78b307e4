import { z } from 'zod';
import { MAX_CANDLES } from '../../../application/market.js';
import { TIMEFRAMES } from '../../../core/timeframe.js';
import { assetPair } from './schemas.js';

import { defineRoute, type RouteDef } from '../route.js';

const tags = ['market'];

export const marketRoutes: RouteDef[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/market/pairs',
    permission: 'read',
    summary: 'Pairs the configured market data can serve, each with its timeframes (native or resampled) and its first and last bar',
    tags,
    handler: (_i, { api }) => api.market.pairs(),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/market/candles',
    permission: 'read',
    summary:
      "The latest closed candles of a pair and timeframe (none closing after now), indicators computed on past bars only (indicators=sma:20,ema:50,bb:20,rsi:14,macd:12:26:9), and the account's trades on the pair as markers",
    tags,
    query: z.strictObject({
      pair: assetPair,
      timeframe: z.enum(TIMEFRAMES),
      limit: z.coerce.number().int().min(1).max(MAX_CANDLES).default(300),
      indicators: z
        .string()
        .max(200)
        .regex(/^[a-zA-Z0-9:,\s]*$/, 'a comma-separated list like sma:20,ema:50,bb:20')
        .optional(),
    }),
    handler: ({ query }, { api }) => api.market.candles(query),
  }),
];
