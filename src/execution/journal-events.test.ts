import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intent, T0 } from '../../test/contract/store/records.js';
import { SqliteStore } from '../store/sqlite/store.js';
import { journalWithEvents } from './journal-events.js';

let store: SqliteStore;
beforeAll(async () => {
  store = await SqliteStore.open(':memory:');
});
afterAll(() => store.close());

const types = async () => (await store.events.since(0, 100)).map((e) => `${e.type}:${String(e.payload.clientOrderId)}`);

describe('the journal with events', () => {
  it('a rejected order is OrderSubmitted then OrderRejected with its reason, once however often it is recorded', async () => {
    const journal = journalWithEvents(store);
    await journal.open(intent('r1'), T0);
    await journal.update('r1', { state: 'REJECTED', reason: 'INSUFFICIENT_FUNDS' }, T0 + 1);
    await journal.update('r1', { state: 'REJECTED', reason: 'INSUFFICIENT_FUNDS' }, T0 + 2);
    expect(await types()).toEqual(['OrderSubmitted:r1', 'OrderRejected:r1']);
    const rejected = (await store.events.since(0, 100)).find((e) => e.type === 'OrderRejected')!;
    expect(rejected.payload).toMatchObject({ clientOrderId: 'r1', reason: 'INSUFFICIENT_FUNDS' });
  });
});
