import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COUNTER_WRITE_MS, type BreakerMemory } from '../../lib/circuit-breaker.js';
import { SqliteStore } from './store.js';

const memory = (calls: number, o: Partial<BreakerMemory> = {}): BreakerMemory => ({
  name: 'venue:paper',
  venue: 'paper',
  state: 'CLOSED',
  consecutiveFailures: 0,
  openedAt: 0,
  changedAt: 1_000,
  counters: { calls, successes: calls, failures: 0, rejected: 0, opens: 0 },
  lastError: null,
  ...o,
});

const stores: SqliteStore[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  while (stores.length) await stores.pop()!.close();
});

async function open(file = join(mkdtempSync(join(tmpdir(), 'ffe-breakers-')), 'ffe.db')): Promise<{ s: SqliteStore; file: string }> {
  const s = await SqliteStore.open(file);
  stores.push(s);
  return { s, file };
}

describe('SqliteBreakerStates.saveCounters', () => {
  it('holds the counters until the next transaction on the connection, and writes only the last ones', async () => {
    const { s } = await open();
    await s.breakers.save(memory(1));
    await s.breakers.saveCounters(memory(2));
    await s.breakers.saveCounters(memory(3));
    expect((await s.breakers.load('venue:paper'))?.counters.calls).toBe(1);
    await s.transaction(async () => undefined);
    expect(await s.breakers.load('venue:paper')).toEqual(memory(3));
  });

  it('a save after held counters is what stays: the older held write never lands over it', async () => {
    const { s } = await open();
    await s.breakers.saveCounters(memory(5));
    const opened = memory(6, { state: 'OPEN', consecutiveFailures: 3, openedAt: 2_000, changedAt: 2_000, lastError: 'HTTP 503' });
    await s.breakers.save(opened);
    await s.transaction(async () => undefined);
    expect(await s.breakers.load('venue:paper')).toEqual(opened);
  });

  it('writes at once once a held write has waited COUNTER_WRITE_MS of real time (another process sees counters no older)', async () => {
    const { s } = await open();
    let now = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    await s.breakers.saveCounters(memory(1));
    now = COUNTER_WRITE_MS - 1;
    await s.breakers.saveCounters(memory(2));
    expect(await s.breakers.load('venue:paper')).toBeNull();
    now = COUNTER_WRITE_MS;
    await s.breakers.saveCounters(memory(3));
    expect(await s.breakers.load('venue:paper')).toEqual(memory(3));
    // Written: the next one is held again.
    await s.breakers.saveCounters(memory(4));
    expect((await s.breakers.load('venue:paper'))?.counters.calls).toBe(3);
  });

  it('what is held when the store closes is written', async () => {
    const { s, file } = await open();
    await s.breakers.saveCounters(memory(7));
    await s.close();
    stores.splice(stores.indexOf(s), 1);
    const { s: again } = await open(file);
    expect(await again.breakers.load('venue:paper')).toEqual(memory(7));
  });
});
