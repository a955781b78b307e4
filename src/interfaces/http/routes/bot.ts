import { z } from 'zod';
import { defineRoute, type RouteDef } from '../route.js';
import { snapshotJson } from '../wire.js';
import { assetPair, limitQuery, recordId } from './schemas.js';

const fraction = z.number().min(0.001).max(1);
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

/**
 * Bot control: start, stop, emergency stop and its clear, status, live settings, positions and
 * manual trades, each one call to `api.bot`. Emergency stop, its clear, closing a position and a
 * manual trade are recorded in the audit log by their use cases (with the caller); start, stop and
 * config changes by the server (the route's `audit`).
 */
export const botRoutes: RouteDef[] = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/bot/start',
    permission: 'operate',
    summary: 'start the agent in this server (dry_run: decide and record, place no orders); resumes after a restart until stopped',
    tags: ['bot'],
    body: z
      .strictObject({
        asset_pairs: z.array(assetPair).min(1).max(50).optional(),
        autonomous: z.boolean().optional(),
        take_profit: fraction.optional(),
        stop_loss: fraction.optional(),
        dry_run: z.boolean().optional(),
      })
      .optional(),
    audit: 'bot.start',
    handler: ({ body }, { api, principal }) => api.bot.start(body ?? {}, principal),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/bot/stop',
    permission: 'operate',
    summary: 'stop the agent (the step in progress finishes); it stays stopped across restarts',
    tags: ['bot'],
    audit: 'bot.stop',
    handler: (_, { api, principal }) => api.bot.stop(principal),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/bot/emergency-stop',
    permission: 'operate',
    summary: 'trip the kill switch: halt the agent at once, optionally close every position; stays halted until an admin clears it',
    tags: ['bot'],
    query: z.strictObject({ close_positions: flag.optional(), reason: z.string().max(500).optional() }),
    handler: ({ query }, { api, principal }) => api.bot.emergencyStop({ close_positions: query.close_positions, reason: query.reason }, principal),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/bot/clear-emergency-stop',
    permission: 'admin',
    summary: 'clear an emergency stop (recorded with the reason); the agent stays stopped until started',
    tags: ['bot'],
    body: z.strictObject({ reason: z.string().trim().min(1).max(500) }),
    handler: ({ body }, { api, principal }) => api.bot.clearEmergencyStop(body.reason, principal),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/bot/status',
    permission: 'read',
    summary: 'agent state, OODA state, uptime, trades, positions, portfolio value, daily P&L, last decision and live settings',
    tags: ['bot'],
    handler: async (_, { api }) => snapshotJson(await api.bot.statusSnapshot()),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/bot/log',
    permission: 'read',
    summary: "the agent's recent cycle log (transitions, decisions, denials, fills, closes), newest first",
    tags: ['bot'],
    query: z.strictObject({ limit: limitQuery(100, 1000) }),
    handler: ({ query }, { api }) => api.insight.agentLog(query.limit),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/bot/config',
    permission: 'operate',
    summary: 'change live settings (applied at the next cycle and order, kept across restarts); answers what was and is in force',
    tags: ['bot'],
    body: z.strictObject({
      stop_loss_pct: z.number().optional(),
      position_size_pct: z.number().optional(),
      confidence_threshold: z.number().optional(),
      max_concurrent_trades: z.number().optional(),
      provider_weights: z.record(z.string().max(64), z.number()).optional(),
    }),
    audit: 'bot.config_update',
    handler: ({ body }, { api, principal }) => api.bot.updateConfig(body, principal),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/bot/positions',
    permission: 'read',
    summary: 'open positions',
    tags: ['bot'],
    handler: async (_, { api }) => ({ positions: await api.bot.positions() }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/bot/positions/:id/close',
    permission: 'trade',
    summary: 'close an open position through the order path',
    tags: ['bot'],
    params: z.strictObject({ id: recordId }),
    handler: ({ params }, { api, principal }) => api.bot.closePosition(params.id, principal),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/bot/manual-trade',
    permission: 'trade',
    summary: 'a manual market order through the risk gate and the order journal; an Idempotency-Key header makes retries safe (one order per key)',
    tags: ['bot'],
    body: z.strictObject({
      asset_pair: assetPair,
      action: z.enum(['BUY', 'SELL']),
      size: z.number(),
      price: z.number().optional(),
      stop_loss: z.number().optional(),
      take_profit: z.number().optional(),
    }),
    handler: ({ body }, { api, principal, idempotencyKey }) => api.bot.manualTrade(body, { by: principal, idempotencyKey }),
  }),
];
