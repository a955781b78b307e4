import { afterAll, describe, expect, it } from 'vitest';
import { FfeApi } from '../../application/api.js';
import { configHome } from '../../../test/support/config-home.js';
import { testAuthenticate } from '../../../test/support/http-auth.js';
import { buildServer } from './server.js';

describe('/ready follows the store', () => {
  const opened: FfeApi[] = [];
  afterAll(async () => {
    for (const a of opened) await a.close().catch(() => undefined);
  });

  it('answers 503 store_unavailable with the reason once the store stops answering, while /live stays 200', async () => {
    const api = await FfeApi.open(configHome('', 'ffe-probes-'));
    opened.push(api);
    const app = buildServer(api, { authenticate: testAuthenticate, settings: api.system.serverSettings() });
    await app.listen({ host: '127.0.0.1', port: 0 });
    expect((await app.inject('/ready')).json()).toEqual({ status: 'ready' });
    // The store goes away under the running server (a database that died, a file that vanished).
    await api.runtime.app.store.close();
    const r = await app.inject('/ready');
    expect(r.statusCode).toBe(503);
    expect(r.json()).toMatchObject({ status: 'store_unavailable', reason: expect.stringMatching(/^store \(sqlite\) unavailable: /) });
    expect((await app.inject('/live')).statusCode).toBe(200);
    await app.close();
  });
});
