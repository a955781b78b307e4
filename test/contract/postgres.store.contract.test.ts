import { inject } from 'vitest';
import { PostgresStore } from '../../src/store/postgres/store.js';
import { databaseCopies } from '../support/postgres.js';
import { storeContract } from './store.contract.js';

// Each test gets a database of its own on the run's server (test/support/services.ts), so tests stay
// independent. Each is a copy of one the store has migrated (opened and closed once): opening the
// copy finds every migration done, as opening a store a second time does, and the store under test
// starts as a fresh store would, without each test running the whole migration chain.
const database = databaseCopies(inject('services').postgres, async (url) => (await PostgresStore.open(url)).close());

storeContract('postgres', async () => {
  const url = await database();
  const store = await PostgresStore.open(url);
  return { store, reopen: () => PostgresStore.open(url), close: () => store.close() };
});
