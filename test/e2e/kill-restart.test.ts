import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/container.js';
import { SqliteOrderJournal } from '../../src/store/sqlite/order-journal-repository.js';
import { startFakeOanda } from '../fakes/oanda-server.js';
import { tempCwd } from '../support/cli.js';

const CHILD = join(import.meta.dirname, 'kill-restart-child.mjs');
const TARGET_ITERATIONS = 60;
const BUDGET_MS = 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface ChildEvent {
  event: string;
  status?: string;
  code?: string;
  settled?: { from: string; to: string }[];
}

/** Starts the child, waits until it trades, lets it run a random while, then SIGKILLs it. */
async function killOnce(cwd: string, events: ChildEvent[]): Promise<void> {
  const child = spawn(process.execPath, [CHILD, cwd], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', TZ: 'UTC' } });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (l) => {
      const e = JSON.parse(l) as ChildEvent;
      events.push(e);
      if (e.event === 'ready') resolve();
    });
    void exited.then((code) => reject(new Error(`child exited (${code}) before it was killed: ${stderr}${JSON.stringify(events.slice(-3))}`)));
  });
  await ready;
  // Kill anywhere in the trading loop: gate, journal write, in-flight POST, answer write.
  await sleep(Math.random() * 250);
  child.kill('SIGKILL');
  await exited;
}

describe('crash safety: SIGKILL during execution against the fake Oanda, restart, reconcile', () => {
  it(`no duplicate orders, no lost intent, journal positions equal the venue's over ${TARGET_ITERATIONS} kills`, async () => {
    // `slow`: the fake books an order as soon as it arrives and answers 25 ms later, so kills land
    // between "the venue has it" and "the journal knows it".
    const fake = await startFakeOanda({ mode: 'slow', slowMs: 25, balance: '100000', prices: { EUR_USD: 1.1 } });
    const cwd = tempCwd('ffe-kill-');
    mkdirSync(join(cwd, 'config'));
    writeFileSync(
      join(cwd, 'config/config.yaml'),
      [
        'trading: { mode: live }',
        'venues:',
        '  routing: { forex: oanda }',
        `  oanda: { api_key: fake-oanda-token, account_id: 101-004-1234567-001, base_url: "${fake.url}", timeout_ms: 2000 }`,
        'execution: { unknown_grace_seconds: 0.5, settle_interval_ms: 50 }',
        '',
      ].join('\n'),
    );
    const events: ChildEvent[] = [];
    const t0 = Date.now();
    let iterations = 0;
    try {
      while (iterations < TARGET_ITERATIONS && Date.now() - t0 < BUDGET_MS) {
        await killOnce(cwd, events);
        iterations++;
      }
      const elapsed = Date.now() - t0;

      // Restart once more, as the product would, and reconcile; give in-flight outcomes their grace.
      const app = await createApp({ cwd, env: {} });
      try {
        let report = await app.execution.reconcile('live');
        for (let i = 0; i < 20 && report.pending.length; i++) {
          await sleep(200);
          report = await app.execution.reconcile('live');
        }
        expect(report.pending).toEqual([]);
        expect(report.foreignFills).toEqual([]);
        expect(report.positions.every((p) => p.match), JSON.stringify(report.positions)).toBe(true);
        expect(report.ok).toBe(true);

        const journal = new SqliteOrderJournal(app.store.sqlite);
        const intents = await journal.list({ account: 'live', limit: 1_000_000 });
        // Every intent settled: nothing left between "meant to send" and "the venue's answer".
        expect(intents.filter((i) => !['FILLED', 'REJECTED', 'ACCEPTED'].includes(i.state))).toEqual([]);

        // No duplicates at the venue: each client id was POSTed (or PUT for a close) at most once,
        // and the venue holds at most one order per client id.
        const sentIds = fake.requests
          .filter((r) => r.method !== 'GET')
          .map((r) => JSON.stringify(r.body).match(/"id":"(ffe-[0-9a-f]+)"/)?.[1])
          .filter((x): x is string => !!x);
        const dupSent = sentIds.filter((id, i) => sentIds.indexOf(id) !== i);
        expect(dupSent).toEqual([]);
        const venueIds = fake.state.orders.map((o) => o.clientExtensions?.id).filter((x): x is string => !!x?.startsWith('ffe-'));
        expect(venueIds.filter((id, i) => venueIds.indexOf(id) !== i)).toEqual([]);

        // No intent lost: every order the venue holds is in the journal, with the venue's outcome.
        const byId = new Map(intents.map((i) => [i.clientOrderId, i]));
        const missing = venueIds.filter((id) => !byId.has(id));
        expect(missing).toEqual([]);
        for (const o of fake.state.orders.filter((x) => x.clientExtensions?.id?.startsWith('ffe-'))) {
          expect(byId.get(o.clientExtensions!.id)!.state).toBe(o.state === 'FILLED' ? 'FILLED' : 'REJECTED');
        }

        // Store positions equal the venue's, checked against the fake's own book too.
        const venueNet = fake.state.trades.filter((t) => t.state === 'OPEN').reduce((s, t) => s + Number(t.currentUnits), 0);
        const journalNet = Number((await journal.netPositions('live')).EURUSD ?? 0);
        expect(journalNet).toBe(venueNet);

        const executed = events.filter((e) => e.event === 'executed').length;
        const recovered = events.flatMap((e) => e.settled ?? []).filter((s) => s.from === 'SUBMITTING' || s.from === 'UNKNOWN');
        const recoveredFilled = recovered.filter((s) => s.to === 'FILLED').length;
        const neverSent = events.flatMap((e) => e.settled ?? []).filter((s) => s.from === 'INTENT').length;
        console.log(
          `kill-restart: ${iterations} SIGKILLs in ${(elapsed / 1000).toFixed(1)} s; ${executed} executions completed; ${venueIds.length} orders at the venue; ` +
            `${recoveredFilled} in-flight orders found filled at restart, ${recovered.length - recoveredFilled} proven never received, ${neverSent} journaled but never sent; final net ${venueNet} EURUSD`,
        );
        expect(iterations).toBeGreaterThanOrEqual(50);
        expect(venueIds.length).toBeGreaterThan(iterations);
      } finally {
        await app.close();
      }
    } finally {
      await fake.close();
    }
  }, 120_000);
});
