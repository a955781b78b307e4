import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { tempCwd } from '../../test/support/cli.js';
import { freshDatabase } from '../../test/support/postgres.js';
import { SqliteStore } from '../store/sqlite/store.js';
import { configuredStoreUrl, databaseCopy, databaseMigrate, databaseStatus } from './database.js';

// In process (test/e2e/db-copy.test.ts drives the same through the built CLI).
describe('ffe db use cases', () => {
  it('status, migrate, and copy SQLite → PostgreSQL with counts verified; a second copy onto a non-empty target is refused unless forced', async () => {
    const cwd = tempCwd('ffe-db-');
    const url = configuredStoreUrl({ cwd, env: { FFE_HOME: join(cwd, 'data') } });
    expect(url).toBe(`sqlite:${join(cwd, 'data', 'ffe.db')}`);
    const s = await SqliteStore.open(join(cwd, 'data', 'ffe.db'));
    await s.agentState.set('k', { v: 1 }, 1);
    await s.close();
    const st = await databaseStatus(url);
    expect(st.pending).toEqual([]);
    expect((await databaseMigrate(url)).applied).toEqual([]);

    const pg = await freshDatabase(inject('services').postgres, 'ffe_dbcopy');
    expect((await databaseStatus(pg)).applied).toEqual([]);
    expect((await databaseStatus(pg)).pending.length).toBe(st.applied.length);
    const copied = await databaseCopy(url, pg);
    expect(copied.tables.find((t) => t.table === 'agent_state')).toMatchObject({ source: 1, target: 1 });
    await expect(databaseCopy(url, pg)).rejects.toThrow(/not empty|--force/);
    const again = await databaseCopy(url, pg, { force: true });
    expect(again.tables).toEqual(copied.tables);
    expect(again.tables.every((t) => t.source === t.target)).toBe(true);
    expect((await databaseStatus(pg)).pending).toEqual([]);
  });
});
