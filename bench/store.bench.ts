/**
 * The store contract workload on SQLite and PostgreSQL in the same run: decisions saved, order
 * journal intents opened then filled (each in a store transaction, as the submitter does), equity
 * snapshots recorded. Operations per second per engine and the ratio, with the machine's load.
 *
 * SQLite: a file in a temporary directory (WAL, synchronous=NORMAL, as FFE runs it). PostgreSQL:
 * Debian's server started in a temporary directory on loopback (test/support/postgres.ts), run
 * with fsync off like the tests' server: a production server's fsync makes each commit cost a
 * disk flush, so these figures are an upper bound for PostgreSQL. Each store transaction takes
 * the one advisory lock (src/store/postgres/transaction.ts), so transactions are serial per
 * database, as on SQLite.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/open.js';
import type { Store } from '../src/store/port.js';
import { decision, intent, snapshot, T0 } from '../test/contract/store/records.js';
import { freshDatabase, startPostgres } from '../test/support/postgres.js';

const OPS = 2_000;

async function workload(store: Store): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const time = async (name: string, fn: (i: number) => Promise<unknown>) => {
    const t = performance.now();
    for (let i = 0; i < OPS; i++) await fn(i);
    out[name] = OPS / ((performance.now() - t) / 1000);
  };
  await time('decisions.save', (i) => store.decisions.save(decision(`d${i}`, { createdAt: T0 + i })));
  await time('orders: intent + fill (2 tx)', async (i) => {
    await store.transaction((tx) => tx.orders.open(intent(`c${i}`), T0 + i));
    await store.transaction((tx) => tx.orders.update(`c${i}`, { state: 'FILLED', filledUnits: '0.1', averagePrice: '42000', fees: '0.1' }, T0 + i + 1));
  });
  await time('equity.record', (i) => store.equity.record(snapshot(T0 + i, String(10_000 + i))));
  return out;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ffe-bench-store-'));
  const server = await startPostgres();
  try {
    const sqlite = await openStore(`sqlite:${join(dir, 'ffe.db')}`);
    const s = await workload(sqlite);
    await sqlite.close();
    const pg = await openStore(await freshDatabase(server.url, 'ffe_bench'));
    const p = await workload(pg);
    await pg.close();
    console.log(`store workload, ${OPS} operations each (load ${loadavg()[0].toFixed(2)} on ${cpus().length} cores)`);
    console.log(`${'operation'.padEnd(30)} ${'SQLite op/s'.padStart(12)} ${'PostgreSQL op/s'.padStart(16)} ${'PG/SQLite'.padStart(10)}`);
    for (const k of Object.keys(s)) console.log(`${k.padEnd(30)} ${s[k].toFixed(0).padStart(12)} ${p[k].toFixed(0).padStart(16)} ${(p[k] / s[k]).toFixed(2).padStart(10)}`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
