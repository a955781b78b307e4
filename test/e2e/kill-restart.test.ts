import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/container.js';
import { startFakeOanda } from '../fakes/oanda-server.js';
import { tempCwd } from '../support/cli.js';

const CHILD = join(import.meta.dirname, 'kill-restart-child.mjs');
// A fixed number of kills, not a time budget: a loaded machine makes the run slower, never weaker.
const ITERATIONS = 60;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface ChildEvent {
  event: string;
  status?: string;
  code?: string;
  settled?: { from: string; to: string }[];
}

interface Child {
  /** Resolves once the process has loaded its modules and waits for `go`. */
  loaded: Promise<void>;
  /** Resolves once it has reconciled and starts trading. */
  ready: Promise<void>;
  /** Resolves once it has finished its first execution. */
  traded: Promise<void>;
  go(): void;
  kill(): Promise<void>;
}

function spawnChild(cwd: string, events: ChildEvent[]): Child {
  const child = spawn(process.execPath, [CHILD, cwd], {
    cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', TZ: 'UTC', ...(process.env.FFE_BUILD_DIR ? { FFE_BUILD_DIR: process.env.FFE_BUILD_DIR } : {}) },
  });
  let stderr = '';
  let killed = false;
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const lines = createInterface({ input: child.stdout });
  const seen = (event: string) =>
    new Promise<void>((resolve, reject) => {
      lines.on('line', (l) => (JSON.parse(l) as ChildEvent).event === event && resolve());
      void exited.then((code) => (killed ? resolve() : reject(new Error(`child exited (${code}) before it was killed: ${stderr}${JSON.stringify(events.slice(-3))}`))));
    });
  lines.on('line', (l) => {
    const e = JSON.parse(l) as ChildEvent;
    if (e.event !== 'loaded') events.push(e);
  });
  const loaded = seen('loaded');
  const ready = seen('ready');
  const traded = seen('executed');
  ready.catch(() => undefined);
  traded.catch(() => undefined);
  return {
    loaded,
    ready,
    traded,
    go: () => child.stdin.write('go\n'),
    kill: async () => {
      killed = true;
      child.kill('SIGKILL');
      await exited;
      if (stderr) events.push({ event: 'stderr', code: stderr.slice(0, 500) });
    },
  };
}

describe('crash safety: SIGKILL during execution against the fake Oanda, restart, reconcile', () => {
  it(`no duplicate orders, no lost intent, journal positions equal the venue's over ${ITERATIONS} kills`, async () => {
    // `slow`: the fake books an order as soon as it arrives and answers 15 ms later, so kills land
    // between "the venue has it" and "the journal knows it".
    const fake = await startFakeOanda({ mode: 'slow', slowMs: 15, balance: '100000', prices: { EUR_USD: 1.1 } });
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
    // The decision every child copies (a real analysis record), stored before the first start.
    const setup = await createApp({ cwd, env: { FFE_HOME: join(cwd, 'data') } });
    await setup.store.decisions.save({ ...(await setup.engine.analyze('EURUSD', { persist: false })), id: 'template', executed: true });
    await setup.close();
    const events: ChildEvent[] = [];
    const t0 = Date.now();
    let iterations = 0;
    try {
      // Successors load while the current one runs; each starts only after its predecessor is dead.
      const spares = [spawnChild(cwd, events), spawnChild(cwd, events)];
      while (iterations < ITERATIONS) {
        const current = spares.shift()!;
        await current.loaded;
        spares.push(spawnChild(cwd, events));
        current.go();
        // Kill anywhere: during start-up (reconcile), inside the first execution after a restart
        // (the gate, a journal write, an in-flight POST, the answer's write), or later on.
        const dice = Math.random();
        if (dice < 0.15) await sleep(Math.random() * 400);
        else if (dice < 0.5) await current.ready.then(() => sleep(Math.random() * 400));
        else await current.traded.then(() => sleep(Math.random() * 300));
        await current.kill();
        iterations++;
      }
      for (const c of spares) await c.kill();
      const elapsed = Date.now() - t0;
      const counts = events.reduce<Record<string, number>>((m, e) => ((m[e.event] = (m[e.event] ?? 0) + 1), m), {});
      console.log(`kill-restart child events: ${JSON.stringify(counts)}`);

      // Restart once more, as the product would, and reconcile; give in-flight outcomes their grace.
      const app = await createApp({ cwd, env: { FFE_HOME: join(cwd, 'data') } });
      try {
        let report = await app.execution.reconcile('live');
        for (let i = 0; i < 20 && report.pending.length; i++) {
          await sleep(200);
          report = await app.execution.reconcile('live');
        }
        expect(report.pending).toEqual([]);
        expect(report.foreignFills).toEqual([]);
        expect(
          report.positions.every((p) => p.match),
          JSON.stringify(report.positions),
        ).toBe(true);
        expect(report.ok).toBe(true);

        const journal = app.store.orders;
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

        // Nor twice under different ids: each decision put at most one order on the venue.
        const perDecision = new Map<string, number>();
        for (const i of intents.filter((x) => x.state !== 'REJECTED')) perDecision.set(i.decisionId!, (perDecision.get(i.decisionId!) ?? 0) + 1);
        expect([...perDecision].filter(([, n]) => n > 1)).toEqual([]);

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
        expect(events.filter((e) => e.event === 'error' && e.code !== 'RECONCILE_PENDING')).toEqual([]);
        // The kills interrupted real trading, not just start-ups: about half the runs traded at least once.
        expect(venueIds.length).toBeGreaterThanOrEqual(iterations / 3);
      } finally {
        await app.close();
      }
    } finally {
      await fake.close();
    }
  }, 300_000);
});
