// Child process of kill-restart.test.ts: trades EURUSD on the live account (the fake Oanda)
// through the compiled build's composition root until it is SIGKILLed. Each start first
// finishes the decisions a killed predecessor left, then keeps creating and executing new ones.
// It loads its modules, says `loaded`, and starts only when it reads a line on stdin: the test
// spawns the next process while the current one trades, so a restart costs no module loading.
// Prints one JSON line per event on stdout.
//   node kill-restart-child.mjs <cwd>
// FFE_BUILD_DIR points at another copy of the build (a tree whose dist/ others may be rebuilding).
import { ulid } from 'ulid';

const build = process.env.FFE_BUILD_DIR ? new URL(`file://${process.env.FFE_BUILD_DIR}/`) : new URL('../../', import.meta.url);
const { createApp } = await import(new URL('dist/src/app/container.js', build).href);
const { createInterface } = await import('node:readline');

const cwd = process.argv[2];
const say = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
say({ event: 'loaded' });
await new Promise((resolve) => createInterface({ input: process.stdin }).once('line', resolve));
const app = await createApp({ cwd, env: { FFE_HOME: `${cwd}/data` } });

const report = await app.execution.reconcile('live');
say({ event: 'start', settled: report.settled, pending: report.pending.length, ok: report.ok });

const template = await app.store.decisions.get('template');
// A long-running process has its market data parsed; do it before trading so kills land in trades.
await app.marketData.candles({ pair: 'EURUSD', timeframe: '1d', end: Date.parse(template.timestamp), limit: 200 });

async function run(id) {
  try {
    const r = await app.execution.execute(id, { live: true });
    say({ event: 'executed', id, status: r.status, resumed: r.resumed, orders: r.orders.map((o) => [o.clientOrderId, o.state]) });
  } catch (e) {
    say({ event: 'error', id, code: e.code ?? 'UNEXPECTED', message: e.message });
    if (e.code === 'RECONCILE_MISMATCH' || !e.code) process.exit(4);
    // Outcome not yet provable (grace period): wait, the next call reconciles again.
    await new Promise((r) => setTimeout(r, 100));
  }
}

say({ event: 'ready' });
for (const d of await app.store.decisions.list({ limit: 10_000 })) {
  if (!d.executed && d.action !== 'HOLD') await run(d.id);
}
for (;;) {
  const held = (await app.account.snapshot({ live: true }, 'kill-test')).positions.find((p) => p.pair === 'EURUSD');
  const now = new Date().toISOString();
  const d = {
    ...template,
    id: ulid(),
    action: held?.side === 'long' ? 'SELL' : 'BUY',
    confidence: 90,
    suggestedSizeUnits: 1000,
    stopLossPrice: null,
    takeProfitPrice: null,
    executed: false,
    createdAt: now,
    metadata: {},
  };
  await app.store.decisions.save(d);
  await run(d.id);
}
