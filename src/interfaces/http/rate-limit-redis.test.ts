import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FfeApi } from '../../application/api.js';
import { configHome } from '../../../test/support/config-home.js';
import { tokenFor, testAuthenticate } from '../../../test/support/http-auth.js';
import { redisDatabase } from '../../../test/support/redis.js';
import { buildServer } from './server.js';

/** Two servers (two instances of a deployment) sharing one Redis: the limit is per key across both. */
let api: FfeApi;
const servers: FastifyInstance[] = [];
const urls: string[] = [];

beforeAll(async () => {
  const redisUrl = await redisDatabase(inject('services').redis);
  api = await FfeApi.open(configHome(''));
  for (let i = 0; i < 2; i++) {
    const app = buildServer(api, { authenticate: testAuthenticate, settings: { ...api.system.serverSettings(), redisUrl, rateLimit: { max: 6, windowSeconds: 60 } } });
    servers.push(app);
    urls.push(await app.listen({ host: '127.0.0.1', port: 0 }));
  }
}, 60_000);
afterAll(async () => {
  for (const s of servers) await s.close();
  await api?.close();
});

describe('rate limit shared through Redis', () => {
  it('the 7th request of one key is refused whichever instance it reaches; another key is not', async () => {
    const get = (i: number, role: 'viewer' | 'trader') => fetch(`${urls[i % 2]}/api/v1/bot/status`, { headers: { authorization: `Bearer ${tokenFor(role)}` } });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await get(i, 'viewer')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    const refused = await get(6, 'viewer');
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('TOO_MANY_REQUESTS');
    expect((await get(0, 'trader')).status).toBe(200);
  });
});
