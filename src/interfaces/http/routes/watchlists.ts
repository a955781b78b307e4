import { z } from 'zod';
import { defineRoute, type RouteDef } from '../route.js';

const tags = ['watchlists'];
const pair = z.string().min(1).max(40);
const watchlist = z.object({ id: z.string(), name: z.string(), pairs: z.array(z.string()), created_at: z.string(), updated_at: z.string() });
const idParams = z.object({ id: z.string().min(1).max(64) });

/** Per-user watchlists: each caller sees and edits only their own (another's id is a 404). */
export const watchlistRoutes: RouteDef[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/watchlists',
    permission: 'read',
    summary: "The caller's watchlists",
    tags,
    response: z.object({ watchlists: z.array(watchlist) }),
    handler: (_i, { api, principal }) => api.investor.watchlists.list(principal),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/watchlists',
    permission: 'read',
    summary: 'Create a watchlist of pairs FFE knows (crypto, forex, stocks); pairs are normalised ("btc-usd" → BTCUSD)',
    tags,
    body: z.object({ name: z.string().min(1).max(80), pairs: z.array(pair).max(1000).default([]) }),
    response: watchlist,
    status: 201,
    audit: 'watchlist.create',
    handler: ({ body }, { api, principal }) => api.investor.watchlists.create(principal, body),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/watchlists/:id',
    permission: 'read',
    summary: 'One of the caller’s watchlists',
    tags,
    params: idParams,
    response: watchlist,
    handler: ({ params }, { api, principal }) => api.investor.watchlists.get(principal, params.id),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/watchlists/:id',
    permission: 'read',
    summary: 'Rename a watchlist or replace its pairs',
    tags,
    params: idParams,
    body: z.object({ name: z.string().min(1).max(80).optional(), pairs: z.array(pair).max(1000).optional() }),
    response: watchlist,
    audit: 'watchlist.update',
    handler: ({ params, body }, { api, principal }) => api.investor.watchlists.update(principal, params.id, body),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/watchlists/:id',
    permission: 'read',
    summary: 'Delete a watchlist (its past recommendations stay)',
    tags,
    params: idParams,
    status: 204,
    audit: 'watchlist.delete',
    handler: async ({ params }, { api, principal }) => {
      await api.investor.watchlists.remove(principal, params.id);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/watchlists/:id/pairs',
    permission: 'read',
    summary: 'Add a pair to a watchlist (an unknown pair is a 400 naming `pair`)',
    tags,
    params: idParams,
    body: z.object({ pair }),
    response: watchlist,
    audit: 'watchlist.add_pair',
    handler: ({ params, body }, { api, principal }) => api.investor.watchlists.addPair(principal, params.id, body.pair),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/watchlists/:id/pairs/:pair',
    permission: 'read',
    summary: 'Remove a pair from a watchlist',
    tags,
    params: z.object({ id: z.string().min(1).max(64), pair }),
    response: watchlist,
    audit: 'watchlist.remove_pair',
    handler: ({ params }, { api, principal }) => api.investor.watchlists.removePair(principal, params.id, params.pair),
  }),
];
