import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { FfeError } from '../../core/errors.js';
import { freshDatabase, startPostgres, type PostgresHandle } from '../../../test/support/postgres.js';
import { openStore } from '../open.js';
import { PostgresStore } from './store.js';

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a failure');
};

describe('PostgresStore: a wrong or unreachable database.url is one line naming the key, never the password', () => {
  it('a port nobody listens on: STORE_UNREACHABLE', async () => {
    const e = (await codeOf(PostgresStore.open('postgres://ffe:s3cret-pw@127.0.0.1:1/ffe'))) as FfeError;
    expect(e).toBeInstanceOf(FfeError);
    expect(e.code).toBe('STORE_UNREACHABLE');
    expect(e.message).toMatch(/^database\.url postgres:\/\/ffe:\*\*\*@127\.0\.0\.1:1\/ffe: /);
    expect(e.message).not.toContain('s3cret-pw');
    expect(e.message.split('\n')).toHaveLength(1);
  });

  it('a database that does not exist: STORE_DB_MISSING (config, exit 2)', async () => {
    const u = new URL(inject('services').postgres);
    u.pathname = '/no_such_db';
    u.password = 'pw-not-shown';
    const e = (await codeOf(openStore(u.toString()))) as FfeError;
    expect(e.code).toBe('STORE_DB_MISSING');
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain('database.url');
    expect(e.message).not.toContain('pw-not-shown');
  });

  it('wrong credentials: STORE_AUTH', async () => {
    // The run's server trusts loopback; a role that does not exist is refused at authentication all the same.
    const u = new URL(inject('services').postgres);
    u.username = 'nobody_here';
    u.password = 'wrong-password';
    const e = (await codeOf(openStore(u.toString()))) as FfeError;
    expect(e.code).toBe('STORE_AUTH');
    expect(e.message).not.toContain('wrong-password');
  });

  it('an unknown scheme: STORE_URL_INVALID naming database.url', async () => {
    const e = (await codeOf(openStore('mysql://u:p@h/db'))) as FfeError;
    expect(e.code).toBe('STORE_URL_INVALID');
    expect(e.message).toMatch(/^database\.url: /);
  });
});

describe('PostgresStore: the server goes away mid-run', () => {
  let server: PostgresHandle;
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(() => server?.stop());

  it('a connection cut inside a transaction: STORE_UNAVAILABLE, and nothing of it was kept', async () => {
    const url = await freshDatabase(server.url);
    const store = await PostgresStore.open(url);
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    let started = () => {};
    const inside = new Promise<void>((r) => (started = r));
    const txFailed = codeOf(
      store.transaction(async (tx) => {
        await tx.events.append({ type: 'agent.started', at: 1, payload: {} } as never);
        started();
        await held;
        await tx.events.append({ type: 'agent.started', at: 2, payload: {} } as never);
      }),
    );
    await inside;
    // What a server restart or a network cut does to the transaction's connection.
    const { default: pg } = await import('pg');
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [new URL(url).pathname.slice(1)]);
    await admin.end();
    release();
    const e = (await txFailed) as FfeError;
    expect(e.code).toBe('STORE_UNAVAILABLE');
    expect(e.message.split('\n')).toHaveLength(1);
    const again = await PostgresStore.open(url);
    expect(await again.events.since(0)).toEqual([]);
    await again.close();
    await store.close();
  });

  it('the server stopped: ping fails with STORE_UNAVAILABLE naming database.url, one line, no password', async () => {
    const u = new URL(await freshDatabase(server.url));
    const store = await PostgresStore.open(u.toString());
    await store.ping();
    await server.stop();
    const e = (await codeOf(store.ping())) as FfeError;
    expect(e.code).toBe('STORE_UNAVAILABLE');
    expect(e.message.split('\n')).toHaveLength(1);
    expect(e.message).toContain('database.url');
    await store.close().catch(() => {});
  });
});
