import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { FFE_BIN, runCli, tempCwd } from '../support/cli.js';

// Two weeks: the 6th order is sent on 2024-02-08 and 16 are sent by the 15th, so the kill lands mid-run
// with a week left for the restart to trade, close and learn through.
const ARGS = ['run-agent', '--replay', '--autonomous', '--from', '2024-02-01', '--to', '2024-02-15', '--quiet', '--json'];

function count(db: string, sql: string): number {
  try {
    const h = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return (h.prepare(sql).get() as { n: number }).n;
    } finally {
      h.close();
    }
  } catch {
    return 0;
  }
}

/** Starts the agent and SIGKILLs it once it has sent `orders` orders: a crash at whatever step it is in. */
async function killAfter(cwd: string, db: string, orders: number): Promise<void> {
  const child = spawn(process.execPath, [FFE_BIN, ...ARGS, '--db', db], { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, TZ: 'UTC' }, stdio: 'ignore' });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  // No poll budget: on a loaded machine the 6th order may take long to come; the test's timeout bounds the wait.
  while (child.exitCode === null) {
    if (count(db, 'SELECT COUNT(*) AS n FROM order_intents') >= orders) {
      child.kill('SIGKILL');
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await exited;
}

describe('agent kill and restart', () => {
  it('recovers positions and run state after SIGKILL mid-run, with no order sent twice', async () => {
    const cwd = tempCwd('ffe-restart-');
    const db = join(cwd, 'replay.db');
    await killAfter(cwd, db, 6);
    const before = count(db, 'SELECT COUNT(*) AS n FROM order_intents');
    expect(before).toBeGreaterThanOrEqual(6);
    const runBefore = JSON.parse(new Database(db, { readonly: true }).prepare("SELECT value FROM agent_state WHERE key = 'agent:run'").pluck().get() as string);
    expect(runBefore.status).toBe('running');

    const again = await runCli([...ARGS, '--db', db], { cwd, timeoutMs: 120_000 });
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    const summary = JSON.parse(again.stdout);
    // The same run carried on (not a fresh start), past where it was killed, and finished cleanly.
    expect(summary.run.runId).toBe(runBefore.runId);
    expect(summary.run.haltReason).toBeNull();
    expect(summary.run.status).toBe('stopped');
    expect(summary.run.cycle).toBeGreaterThan(runBefore.cycle);

    const h = new Database(db, { readonly: true });
    // Every client order id reached the venue at most once, and no decision opened more than once.
    expect(h.prepare('SELECT COUNT(*) FROM paper_orders GROUP BY client_order_id HAVING COUNT(*) > 1').all()).toEqual([]);
    expect(h.prepare("SELECT decision_id FROM order_intents WHERE leg = 'open' AND state = 'FILLED' GROUP BY decision_id HAVING COUNT(*) > 1").all()).toEqual([]);
    // Nothing is left unsettled, and the recovery event of the restart reconciled OK.
    expect(h.prepare("SELECT COUNT(*) FROM order_intents WHERE state IN ('INTENT', 'SUBMITTING', 'UNKNOWN')").pluck().get()).toBe(0);
    const recoveries = h.prepare("SELECT message FROM agent_events WHERE kind = 'recovery' ORDER BY seq").pluck().all() as string[];
    // One reconcile per start (the killed run's and the restart's): an empty list would pass `every` unseen.
    const reconciled = recoveries.filter((m) => m.startsWith('reconciled'));
    expect(reconciled).toHaveLength(2);
    expect(reconciled.every((m) => m.includes(': OK'))).toBe(true);
    expect(h.prepare("SELECT COUNT(*) FROM agent_events WHERE kind = 'start' AND message LIKE 'resuming run%'").pluck().get()).toBe(1);
    // Positions, trade metrics and outcomes agree: every closed trade was learned exactly once.
    const metrics = h.prepare('SELECT COUNT(*) FROM trade_metrics').pluck().get() as number;
    expect(metrics).toBeGreaterThan(0);
    expect(h.prepare('SELECT COUNT(*) FROM trade_outcomes').pluck().get()).toBe(metrics);
    h.close();
  }, 180_000);
});
