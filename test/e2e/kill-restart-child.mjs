// Child process of kill-restart.test.ts: trades EURUSD on the live account (the fake Oanda)
// through the compiled build's composition root until it is SIGKILLed. Each start first
// finishes the decisions a killed predecessor left, then keeps creating and executing new ones.
// Prints one JSON line per event on stdout.
//   node kill-restart-child.mjs <cwd>
import { ulid } from 'ulid';
import { createApp } from '../../dist/src/app/container.js';

const cwd = process.argv[2];
const say = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
const app = await createApp({ cwd, env: {} });

const report = await app.execution.reconcile('live');
say({ event: 'start', settled: report.settled, pending: report.pending.length, ok: report.ok });

let template = await app.store.decisions.get('template');
if (!template) {
  template = { ...(await app.engine.analyze('EURUSD', { persist: false })), id: 'template', executed: true };
  await app.store.decisions.save(template);
}

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
  const d = { ...template, id: ulid(), action: held?.side === 'long' ? 'SELL' : 'BUY', confidence: 90, suggestedSizeUnits: 1000, executed: false, createdAt: now, metadata: {} };
  await app.store.decisions.save(d);
  await run(d.id);
}
