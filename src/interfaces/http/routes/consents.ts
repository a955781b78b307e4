import { z } from 'zod';
import { defineRoute, type RouteDef } from '../route.js';

const tags = ['consents'];
const consent = z.object({ purpose: z.string(), version: z.string(), granted: z.boolean(), at: z.string().nullable(), description: z.string() });

/** The caller's consents: every known purpose with its current state; each change is kept. */
export const consentRoutes: RouteDef[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/consents',
    permission: 'read',
    summary: "The caller's consents, one per known purpose (telegram_recommendations, feedback_learning), with the current consent version",
    tags,
    response: z.object({ consents: z.array(consent) }),
    handler: (_i, { api, principal }) => api.investor.consents.list(principal),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/consents/:purpose',
    permission: 'read',
    summary: 'Give or withdraw a consent (recorded with the consent version and time; an unknown purpose is a 400 naming `purpose`)',
    tags,
    params: z.object({ purpose: z.string().min(1).max(64) }),
    body: z.object({ granted: z.boolean() }),
    response: consent,
    audit: 'consent.set',
    handler: ({ params, body }, { api, principal }) => api.investor.consents.set(principal, params.purpose, body.granted),
  }),
];
