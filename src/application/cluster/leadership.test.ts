import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from '../../../test/support/cluster.js';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../store/sqlite/store.js';
import { LEADER_LEASE, Leadership } from './leadership.js';

const stores: SqliteStore[] = [];
afterEach(async () => {
  while (stores.length) await stores.pop()!.close();
});

/** Two handles on one file: two servers sharing a store. */
async function shared(): Promise<[SqliteStore, SqliteStore]> {
  const path = join(mkdtempSync(join(tmpdir(), 'ffe-leader-')), 'ffe.db');
  const a = await SqliteStore.open(path);
  const b = await SqliteStore.open(path);
  stores.push(a, b);
  return [a, b];
}

function member(store: SqliteStore, name: string, ttlMs: number) {
  const seen: string[] = [];
  const l = new Leadership(store.leases, name, ttlMs, { gained: async () => void seen.push('gained'), lost: async (why) => void seen.push(`lost: ${why}`) });
  return { l, seen };
}

describe('Leadership on the store lease', () => {
  it('exactly one of two instances leads; the other takes over when the leader stops renewing, and the deposed leader is fenced', async () => {
    const [sa, sb] = await shared();
    const a = member(sa, 'a', 400);
    const b = member(sb, 'b', 400);
    // `a` takes part in one round only, then goes silent: a leader killed or hung.
    await a.l.tick();
    await b.l.start();
    expect(a.l.isLeader).toBe(true);
    expect(b.l.isLeader).toBe(false);
    expect(a.seen).toEqual(['gained']);
    expect((await b.l.status()).leader).toBe('a');
    await until('b to take over', async () => b.l.isLeader);
    expect(b.seen).toEqual(['gained']);
    expect(await sb.leases.holder(LEADER_LEASE, Date.now())).toMatchObject({ holder: 'b' });
    // The old leader wakes up: its next order is refused, and it steps down.
    expect(await a.l.confirm()).toBe(false);
    await until('a to step down', async () => a.seen.length === 2);
    expect(a.seen[1]).toMatch(/^lost: the leader lease was lost/);
    expect(a.l.isLeader).toBe(false);
    expect(await b.l.confirm()).toBe(true);
    await b.l.stop();
  });

  it('a leader that stops gives the lease up at once: a follower leads at its next round, without waiting for the TTL', async () => {
    const [sa, sb] = await shared();
    const a = member(sa, 'a', 60_000);
    const b = member(sb, 'b', 60_000);
    await a.l.start();
    await b.l.tick();
    expect(b.l.isLeader).toBe(false);
    await a.l.stop();
    expect(a.seen).toEqual(['gained', 'lost: shutting down']);
    await b.l.tick();
    expect(b.l.isLeader).toBe(true);
    expect((await a.l.status()).role).toBe('follower');
    expect(await b.l.status()).toMatchObject({ instance: 'b', role: 'leader', leader: 'b', ttl_seconds: 60 });
    await b.l.stop();
  });
});
