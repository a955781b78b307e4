import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from '../../../test/support/cluster.js';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { DomainEvent } from '../../core/events.js';
import { SqliteStore } from '../../store/sqlite/store.js';
import { EventBus } from '../event-bus.js';
import { EventRelay } from './event-relay.js';
import { redisNudge } from './redis-nudge.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

/** One server as the runtime wires it: a store handle whose commits publish on its bus, plus the relay. */
async function instance(path: string, name: string, o: { pollMs: number; redis?: string }) {
  const store = await SqliteStore.open(path);
  const bus = new EventBus();
  store.events.onCommitted((events) => bus.publish(events));
  const nudge = o.redis ? await redisNudge(o.redis, name, () => undefined) : null;
  const relay = new EventRelay({ outbox: store.events, bus, pollMs: o.pollMs, nudge });
  await relay.start();
  const all: DomainEvent[] = [];
  const localOnly: DomainEvent[] = [];
  bus.subscribe((e) => all.push(e), null, { everyInstance: true });
  bus.subscribe((e) => localOnly.push(e));
  closers.push(async () => {
    await relay.close();
    await store.close();
  });
  const commit = (n: number) =>
    store.transaction(async (tx) => {
      for (let i = 0; i < n; i++) await tx.events.append({ type: 'AgentStateChanged', at: Date.now(), payload: { from: name, i } });
    });
  return { store, all, localOnly, commit, relay };
}

const seqs = (evs: DomainEvent[]) => evs.map((e) => e.seq);

describe('EventRelay: events committed by one instance reach the subscribers of the others', () => {
  it("by polling the shared outbox: every event once, in seq order, their own included (subscribers for this process's events see only those, once)", async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ffe-relay-')), 'ffe.db');
    const a = await instance(path, 'a', { pollMs: 30 });
    const b = await instance(path, 'b', { pollMs: 30 });
    await a.commit(3);
    await b.commit(2);
    await a.commit(700); // more than one page of the outbox
    await until('both instances to see all 705 events', async () => a.all.length === 705 && b.all.length === 705);
    expect(seqs(a.all)).toEqual(seqs(b.all));
    expect(seqs(a.all)).toEqual([...seqs(a.all)].sort((x, y) => x - y));
    expect(new Set(seqs(a.all)).size).toBe(705);
    // Acting subscribers (audit, notifications) see only what their own instance committed.
    expect(a.localOnly.map((e) => e.payload.from)).toEqual(Array(703).fill('a'));
    expect(b.localOnly.map((e) => e.payload.from)).toEqual(['b', 'b']);
  });

  it('with Redis, another instance is nudged at once: with a one-minute poll the event still arrives', async () => {
    const redis = inject('services').redis;
    const path = join(mkdtempSync(join(tmpdir(), 'ffe-relay-')), 'ffe.db');
    const a = await instance(path, 'relay-a', { pollMs: 60_000, redis });
    const b = await instance(path, 'relay-b', { pollMs: 60_000, redis });
    await a.commit(1);
    await until('the nudged instance to read the event', async () => b.all.length === 1);
    expect(b.all[0]!.payload).toEqual({ from: 'relay-a', i: 0 });
    expect(b.localOnly).toEqual([]);
    await b.commit(2);
    await until('the nudge back', async () => a.all.length === 3);
    expect(seqs(a.all)).toEqual(seqs(b.all));
  });
});
