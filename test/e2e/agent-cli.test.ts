import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempCwd } from '../support/cli.js';

/** The agent commands as a user runs them: a short replay on paper, then the monitor, memory and approval views of what it stored. */
describe('ffe run-agent --replay and the monitor, memory and approvals commands', () => {
  const cwd = tempCwd('ffe-agent-cli-');
  const db = ['--db', join(cwd, 'replay.db')];
  const ffe = (args: string[]) => runCli(args, { cwd, env: { PERSISTENCE_SQLITE_PATH: join(cwd, 'replay.db') }, timeoutMs: 120_000 });
  let summary: { closedTrades: number; run: { status: string; cycle: number; counts: { executed: number } } };

  beforeAll(async () => {
    const r = await runCli(['run-agent', '--replay', '--autonomous', '--from', '2024-02-01', '--to', '2024-02-11', '--json', ...db], { cwd, timeoutMs: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    summary = JSON.parse(r.stdout);
  }, 150_000);

  it('replays hour by hour on paper to the end and stores its trades', () => {
    expect(summary.run.status).toBe('stopped');
    // Ten days hour by hour (9 orders, 7 closed trades on the bundled data).
    expect(summary.run.cycle).toBe(10 * 24 + 1);
    expect(summary.run.counts.executed).toBeGreaterThan(0);
    expect(summary.closedTrades).toBeGreaterThan(0);
  });

  it('shows the same closed trades in monitor metrics and memory, each exit labelled from the records', async () => {
    const m = JSON.parse((await ffe(['monitor', 'metrics', '--json'])).stdout);
    expect(m.summary.trades).toBe(summary.closedTrades);
    const labels = new Set(['take_profit', 'stop_loss', 'signal', 'manual', 'kill_switch', 'liquidation', 'time_exit']);
    expect(Object.keys(m.summary.byExit).every((k) => labels.has(k))).toBe(true);
    const mem = JSON.parse((await ffe(['memory', 'report', '--json'])).stdout);
    expect(mem.outcomes).toBe(summary.closedTrades);
    expect(mem.byProvider.map((p: { key: string }) => p.key)).toEqual(['rules']);
    const w = JSON.parse((await ffe(['memory', 'weights', '--history', '--json'])).stdout);
    expect(w.history.every((c: { outcomes: number }) => c.outcomes >= w.minOutcomes)).toBe(true);
    const st = await ffe(['monitor', 'status', '--json']);
    expect(st.code).toBe(0);
    const status = JSON.parse(st.stdout);
    expect(status.maxTrackers).toBe(2);
    expect(status.agent).toMatchObject({ status: 'stopped', state: 'IDLE', cycle: summary.run.cycle });
    expect(status.events.at(-1).kind).toBe('stopped');
  });

  it('queues decisions in manual mode, and an expired approval is never executed', async () => {
    const manualDb = join(cwd, 'manual.db');
    const r = await runCli(['run-agent', '--replay', '--approval', 'manual', '--from', '2024-02-21', '--to', '2024-02-22', '--json', '--db', manualDb], { cwd, timeoutMs: 120_000 });
    const s = JSON.parse(r.stdout);
    expect(s.run.counts.queued).toBeGreaterThan(0);
    expect(s.run.counts.executed).toBe(0);
    const manual = (args: string[]) => runCli(args, { cwd, env: { PERSISTENCE_SQLITE_PATH: manualDb } });
    const list = JSON.parse((await manual(['approvals', 'list', '--json'])).stdout) as { id: string; status: string }[];
    expect(list.length).toBe(s.run.counts.queued);
    // Replayed approvals expired on the replay clock long before now.
    expect(list.every((a) => a.status === 'expired')).toBe(true);
    const approve = await manual(['approve', list[0].id]);
    expect(approve.code).toBe(2);
    expect(approve.stderr).toMatch(/is expired/);
    expect((await manual(['reject', 'no-such-id'])).code).toBe(2);
    expect(JSON.parse((await manual(['monitor', 'metrics', '--json'])).stdout).summary.trades).toBe(0);
    // A replay and five CLI runs: near 30 s at load 24 (the replay alone may take its 120 s).
  }, 180_000);

  it('refuses bad options with exit code 2', async () => {
    expect((await ffe(['run-agent', '--take-profit', '5'])).code).toBe(2);
    const both = await ffe(['run-agent', '--autonomous', '--approval', 'manual', '--replay']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/contradict/);
  });
});
