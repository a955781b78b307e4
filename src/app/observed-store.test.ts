import { afterEach, describe, expect, it } from 'vitest';
import { FfeError } from '../core/errors.js';
import { SqliteStore } from '../store/sqlite/store.js';
import { observedStore } from './observed-store.js';
import { RuntimeObservers, type StoreCall } from './observers.js';

let raw: SqliteStore | null = null;
afterEach(async () => {
  await raw?.close();
  raw = null;
});

async function setup() {
  raw = await SqliteStore.open(':memory:');
  const obs = new RuntimeObservers();
  const calls: StoreCall[] = [];
  obs.onStoreCall((c) => calls.push(c));
  return { store: observedStore(raw, obs), calls, obs };
}

describe('observedStore', () => {
  it('times each repository method as <repository>.<method>, and a transaction with the calls made through its tx', async () => {
    const { store, calls } = await setup();
    await store.agentState.set('k', { a: 1 }, 1);
    expect(await store.agentState.get('k')).toEqual({ a: 1 });
    await store.transaction(async (tx) => {
      await tx.agentState.set('k', { a: 2 }, 2);
    });
    expect(calls.map((c) => c.operation)).toEqual(['agentState.set', 'agentState.get', 'agentState.set', 'transaction']);
    expect(calls.every((c) => c.ok && c.ms >= 0)).toBe(true);
    expect(await store.agentState.get('k')).toEqual({ a: 2 });
  });

  it('a domain refusal thrown in a transaction is not a storage failure; a raw error is', async () => {
    const { store, calls } = await setup();
    await expect(
      store.transaction(async () => {
        throw new FfeError('input', 'LAST_ADMIN', 'refused');
      }),
    ).rejects.toThrow('refused');
    await raw!.close();
    await expect(store.agentState.get('k')).rejects.toThrow();
    raw = null;
    expect(calls.map((c) => [c.operation, c.ok])).toEqual([
      ['transaction', true],
      ['agentState.get', false],
    ]);
  });

  it('with no listener nothing is timed, and plain fields pass through', async () => {
    raw = await SqliteStore.open(':memory:');
    const obs = new RuntimeObservers();
    const store = observedStore(raw, obs);
    expect(store.engine).toBe('sqlite');
    expect(store.location).toBe(raw.location);
    await store.agentState.set('k', 1, 1);
    const calls: StoreCall[] = [];
    obs.onStoreCall((c) => calls.push(c));
    await store.agentState.get('k');
    expect(calls).toHaveLength(1);
  });
});
