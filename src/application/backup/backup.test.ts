import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempCwd } from '../../../test/support/cli.js';
import { SqliteStore } from '../../store/sqlite/store.js';
import { createBackup, listBackups, restoreBackup, verifyBackup } from './index.js';

// In process (the e2e tests drive the same use cases through the built CLI): create → verify →
// restore into another data home, and a tampered archive refused before anything is touched.
describe('backup use cases', () => {
  it('round-trips a store into a fresh data home; a flipped byte is refused and the target stays as it was', async () => {
    const src = tempCwd('ffe-bk-src-');
    const dst = tempCwd('ffe-bk-dst-');
    const envOf = (cwd: string) => ({ FFE_HOME: join(cwd, 'data'), HOME: cwd });
    const store = await SqliteStore.open(join(src, 'data', 'ffe.db'));
    await store.agentState.set('k', { v: 1 }, 1);
    await store.leases.tryAcquire('x', 'me', 1, 0);
    await store.close();

    const out = join(src, 'backups');
    const created = await createBackup({ cwd: src, env: envOf(src), out });
    expect(created.engine).toBe('sqlite');
    expect(created.tables.agent_state).toBe(1);
    expect(listBackups(out).map((b) => join(out, b.name))).toEqual([created.file]);
    const verified = await verifyBackup(created.file, src);
    expect(verified).toMatchObject({ ok: true, engine: 'sqlite', tables: created.tables, rows: created.rows });

    const restored = await restoreBackup(created.file, { cwd: dst, env: envOf(dst) });
    expect(restored.tables).toEqual(created.tables);
    expect(restored.previous).toBeNull();
    const back = await SqliteStore.open(restored.target);
    expect(await back.agentState.get('k')).toEqual({ v: 1 });
    await back.close();

    const bad = join(src, 'bad.tar.gz');
    const bytes = readFileSync(created.file);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    writeFileSync(bad, bytes);
    await expect(verifyBackup(bad, src)).rejects.toThrow();
    const before = readFileSync(restored.target);
    await expect(restoreBackup(bad, { cwd: dst, env: envOf(dst) })).rejects.toThrow();
    expect(readFileSync(restored.target).equals(before)).toBe(true);
  });
});
