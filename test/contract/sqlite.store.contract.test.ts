import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { storeContract } from './store.contract.js';

// Each test's file is a copy of one the store migrated once (opened and closed: nothing left in a
// -wal file): opening the copy finds every migration done, as opening a store a second time does,
// without each test running the whole migration chain and its syncs again. Migrations have tests of their own.
let migrated: Promise<string> | null = null;
const template = async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'ffe-contract-')), 'ffe.db');
  await (await SqliteStore.open(path)).close();
  return path;
};

storeContract('sqlite (file)', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'ffe-contract-')), 'ffe.db');
  copyFileSync(await (migrated ??= template()), path);
  const store = await SqliteStore.open(path);
  return { store, reopen: () => SqliteStore.open(path), close: () => store.close() };
});

storeContract('sqlite (in memory)', async () => {
  const store = await SqliteStore.open(':memory:');
  return { store, close: () => store.close() };
});
