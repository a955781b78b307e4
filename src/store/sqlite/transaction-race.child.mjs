// Child process of transaction.test.ts: one contender in a read-check-write race on a shared
// database file. It reads the outbox, reports what it saw, waits for the test to say `write`,
// and appends an event only if it saw none.
//   node transaction-race.child.mjs <db path> <tx|plain>
// Loads the compiled build (the vitest global setup keeps dist/ current); FFE_BUILD_DIR points elsewhere.
import { createInterface } from 'node:readline';

const build = process.env.FFE_BUILD_DIR ? new URL(`file://${process.env.FFE_BUILD_DIR}/`) : new URL('../../../', import.meta.url);
const { SqliteStore } = await import(new URL('dist/src/store/sqlite/store.js', build).href);
const [path, mode] = process.argv.slice(2);
const say = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const line = async () => (await lines.next()).value;

const store = await SqliteStore.open(path);
say({ event: 'ready' });
await line();

const contend = async (s) => {
  const seen = await s.events.latestSeq();
  say({ event: 'checked', seen });
  await line();
  if (seen !== 0) return false;
  await s.events.append({ type: 'OrderSubmitted', at: Date.now(), payload: { pid: process.pid } });
  return true;
};

say({ event: 'beginning' });
try {
  const wrote = mode === 'tx' ? await store.transaction(contend) : await contend(store);
  say({ event: 'done', wrote });
} catch (e) {
  say({ event: 'failed', code: e.code ?? null, message: e.message });
}
await store.close();
// stdin stays open (the test holds the pipe): leave explicitly.
process.exit(0);
