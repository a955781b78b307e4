/**
 * Backup and restore of a store with 100,000 decisions (issue 15): `ffe backup create`, `verify`
 * and `restore` through the same application calls the CLI makes, wall-clock time, median of
 * three runs each, printed with the machine's load (a shared machine swings these figures).
 * The decisions are the store contract's records, saved through the repository in one transaction.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackup, restoreBackup, verifyBackup } from '../src/application/backup/index.js';
import { SqliteStore } from '../src/store/sqlite/store.js';
import { decision } from '../test/contract/store/records.js';

const DECISIONS = 100_000;
const RUNS = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () => loadavg()[0].toFixed(1);

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

export async function run(): Promise<void> {
  const cwd = mkdtempSync(join(tmpdir(), 'ffe-backup-bench-'));
  try {
    const env = { HOME: cwd, FFE_HOME: join(cwd, 'home') };
    const store = await SqliteStore.open(join(env.FFE_HOME, 'ffe.db'));
    const filled = await timed(() =>
      store.transaction(async (tx) => {
        for (let i = 0; i < DECISIONS; i++) await tx.decisions.save(decision(`D${String(i).padStart(6, '0')}`));
      }),
    );
    await store.close();
    const dbBytes = statSync(join(env.FFE_HOME, 'ffe.db')).size;
    console.log(`store: ${DECISIONS} decisions inserted in ${(filled.ms / 1000).toFixed(1)} s, ${(dbBytes / 1_048_576).toFixed(1)} MB (load ${load()})`);

    const times: Record<'create' | 'verify' | 'restore', number[]> = { create: [], verify: [], restore: [] };
    let size = 0;
    for (let r = 0; r < RUNS; r++) {
      const made = await timed(() => createBackup({ cwd, env, out: join(cwd, `out-${r}`) }));
      if (made.value.tables.decisions !== DECISIONS) throw new Error(`backup holds ${made.value.tables.decisions} decisions, expected ${DECISIONS}`);
      size = made.value.size;
      times.create.push(made.ms);
      times.verify.push((await timed(() => verifyBackup(made.value.file, cwd))).ms);
      const into = { HOME: cwd, FFE_HOME: join(cwd, `restored-${r}`) };
      const restored = await timed(() => restoreBackup(made.value.file, { cwd, env: into }));
      if (restored.value.tables.decisions !== DECISIONS) throw new Error('restore lost decisions');
      times.restore.push(restored.ms);
    }
    console.log(`archive: ${(size / 1_048_576).toFixed(1)} MB (gzip) of a ${(dbBytes / 1_048_576).toFixed(1)} MB store`);
    for (const [what, ms] of Object.entries(times)) {
      console.log(`backup ${what.padEnd(7)} ${(median(ms) / 1000).toFixed(2)} s median of ${RUNS} (${ms.map((m) => (m / 1000).toFixed(2)).join(', ')} s)`);
    }
    console.log(`one-minute load average after: ${load()} on ${availableParallelism()} cores`);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}
