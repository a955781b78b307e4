import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { FFE_BIN, runCli, tempCwd } from '../support/cli.js';

const CONFIG = `
agent:
  assets: [BTCUSD]
  approval: autonomous
`;

/**
 * Two real processes on one data home: a replay agent paced at one simulated hour per second, and
 * `ffe agent emergency-stop` from a second process. The agent halts with the reason, exits 1, and
 * places no order after the stop was stored.
 */
describe('emergency stop across processes', () => {
  it('an agent running in another process halts before its next order and says why', async () => {
    const cwd = tempCwd('ffe-estop-');
    mkdirSync(join(cwd, 'config'));
    writeFileSync(join(cwd, 'config/config.yaml'), CONFIG);
    const env = { PATH: process.env.PATH ?? '', HOME: cwd, TZ: 'UTC', FFE_HOME: join(cwd, 'data') };
    const agent = spawn(process.execPath, [FFE_BIN, '-v', '--sandbox', 'es', 'run-agent', '--replay', '--from', '2024-01-01', '--speed', '3600'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const exited = new Promise<number>((resolve) => agent.on('close', (code) => resolve(code ?? -1)));
    try {
      // Wait on the agent's own output: its recovery is done and it is cycling.
      await new Promise<void>((resolve, reject) => {
        agent.stdout.on('data', (d: Buffer) => {
          stdout += d.toString();
          if (/ recovery: /.test(stdout)) resolve();
        });
        agent.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        void exited.then((code) => reject(new Error(`the agent exited (${code}) before it ran: ${stderr}`)));
      });
      const stop = await runCli(['--sandbox', 'es', 'agent', 'emergency-stop', '--reason', 'operator test', '--by', 'tester'], { cwd });
      expect(stop.code, stop.stderr).toBe(0);
      expect(stop.stdout).toMatch(/emergency stop recorded: kill switch TRIPPED at .*emergency stop by tester .*: operator test/);
      const code = await exited;
      expect(code).toBe(1);
      expect(stderr).toMatch(/agent halted: emergency stop by tester at .*: operator test/);
      expect(stdout).toMatch(/stop_requested: halting: emergency stop by tester/);
    } finally {
      agent.kill('SIGKILL');
    }
    const db = new Database(join(cwd, 'data/sandboxes/es.db'), { readonly: true });
    try {
      const events = db.prepare('SELECT seq, kind, message FROM agent_events ORDER BY seq').all() as { seq: number; kind: string; message: string }[];
      const stored = events.find((e) => e.kind === 'kill_switch')!;
      const seen = events.find((e) => e.kind === 'stop_requested')!;
      expect(stored.message).toMatch(/emergency stop by tester/);
      expect(seen.seq).toBeGreaterThan(stored.seq);
      // Nothing after the stop was stored is an order.
      expect(events.filter((e) => e.seq > stored.seq && (e.kind === 'executed' || e.kind === 'execution_failed'))).toEqual([]);
      const outbox = db.prepare("SELECT type FROM events WHERE type = 'KillSwitchTripped'").all();
      expect(outbox).toHaveLength(1);
      const ks = JSON.parse((db.prepare("SELECT value FROM agent_state WHERE key = 'agent:kill_switch'").get() as { value: string }).value);
      expect(ks).toMatchObject({ tripped: true, emergency: { by: 'tester', reason: 'operator test', closePositions: false } });
    } finally {
      db.close();
    }
    // Sticky: a restart halts at once.
    const again = await runCli(['--sandbox', 'es', 'run-agent', '--replay', '--from', '2024-01-01'], { cwd });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/kill switch tripped at .* stays tripped until an operator clears it/);
  }, 120_000);
});
