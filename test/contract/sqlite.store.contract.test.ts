import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { storeContract } from './store.contract.js';

storeContract('sqlite (file)', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'ffe-contract-')), 'ffe.db');
  const store = await SqliteStore.open(path);
  return { store, reopen: () => SqliteStore.open(path), close: () => store.close() };
});

storeContract('sqlite (in memory)', async () => {
  const store = await SqliteStore.open(':memory:');
  return { store, close: () => store.close() };
});
