import { inject } from 'vitest';
import { PostgresStore } from '../../src/store/postgres/store.js';
import { freshDatabase } from '../support/postgres.js';
import { storeContract } from './store.contract.js';

// Each test gets a database of its own on the run's server (test/support/services.ts), so tests stay independent.
storeContract('postgres', async () => {
  const url = await freshDatabase(inject('services').postgres);
  const store = await PostgresStore.open(url);
  return { store, reopen: () => PostgresStore.open(url), close: () => store.close() };
});
