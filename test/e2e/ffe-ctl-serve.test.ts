import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempCwd } from '../support/cli.js';
import { ctlBin, ctlHome } from '../support/ctl.js';
import { createKey, startServe, type Served } from '../support/serve.js';

/** The built `ffe-ctl` against the real `ffe serve` (built CLI, fresh store, bundled data), operator flow in dry-run. */
let cwd: string;
let s: Served;
let operator: string;
let viewer: string;
let admin: string;
beforeAll(async () => {
  cwd = tempCwd('ffe-ctl-serve-');
  operator = await createKey(cwd, 'operator');
  viewer = await createKey(cwd, 'viewer');
  admin = await createKey(cwd, 'admin');
  s = await startServe(cwd);
}, 120_000);
afterAll(async () => {
  if (s.child.exitCode === null) {
    s.child.kill('SIGTERM');
    await s.exited;
  }
});

const ctl = (args: string[], key: string) => ctlBin(['--api-url', s.url, '--api-key', key, ...args], { home: ctlHome() });

describe('ffe-ctl against ffe serve', () => {
  it('starts the bot in dry-run, shows status, decisions, positions, health and the audit chain, then emergency-stops', async () => {
    const start = await ctl(['bot', 'start', '--dry-run', '--assets', 'BTCUSD'], operator);
    expect([start.code, start.stderr]).toEqual([0, '']);
    expect(start.stdout).toMatch(/bot started: (starting|running)/);

    const status = await ctl(['--json', 'bot', 'status'], operator);
    expect([status.code, status.stderr]).toEqual([0, '']);
    expect(JSON.parse(status.stdout)).toMatchObject({ requested_state: 'running', requested: { asset_pairs: ['BTCUSD'], dry_run: true } });
    expect((await ctl(['bot', 'status'], viewer)).code).toBe(0);

    // The live agent's first cycle records a decision (on stale bundled data, a HOLD): wait for it, no fixed sleep.
    let last: { id: string; asset_pair: string; action: string } | null = null;
    for (let i = 0; i < 600 && !last; i++) {
      const r = await ctl(['--json', 'bot', 'status'], viewer);
      last = (JSON.parse(r.stdout) as { last_decision: typeof last }).last_decision;
      if (!last) await new Promise((res) => setTimeout(res, 200));
    }
    expect(last).toMatchObject({ asset_pair: 'BTCUSD', action: expect.stringMatching(/^(BUY|SELL|HOLD)$/) });
    const decisions = await ctl(['decisions', 'list'], viewer);
    expect([decisions.code, decisions.stderr]).toEqual([0, '']);
    expect(decisions.stdout).toContain(last!.id);
    const positions = await ctl(['positions', 'list'], viewer);
    expect([positions.code, positions.stderr]).toEqual([0, '']);
    // Dry-run places no orders.
    expect(positions.stdout).toContain('no open positions');

    const health = await ctl(['health', 'check'], viewer);
    expect(health.stdout).toContain('/ready');
    expect(health.stdout).toContain('/live');
    expect([health.code, health.stderr]).toEqual([0, '']);
    expect(health.stdout).toMatch(/\/ready\s*│\s*200/);

    const verify = await ctl(['audit', 'verify'], admin);
    expect([verify.code, verify.stderr]).toEqual([0, '']);
    expect(verify.stdout).toMatch(/intact|ok|verified/i);

    const es = await ctl(['bot', 'emergency-stop'], operator);
    expect([es.code, es.stderr]).toEqual([0, '']);
    expect(es.stdout).toContain('emergency_stopped');
    expect(JSON.parse((await ctl(['--json', 'bot', 'status'], viewer)).stdout)).toMatchObject({ state: 'emergency_stopped' });

    for (const r of [start, status, decisions, positions, health, verify, es]) expect(r.stdout + r.stderr).not.toMatch(/ffe_[a-z0-9]{8}_\S{12,}/);
  }, 120_000);

  it('a viewer key on bot stop: one line naming the role needed, non-zero exit', async () => {
    const r = await ctl(['bot', 'stop'], viewer);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^ffe-ctl: permission denied: .*role viewer.*needs the operator role/);
    expect(r.stderr).not.toContain(viewer);
  });

  it('serve down: the "cannot reach" line', async () => {
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    const r = await ctl(['bot', 'status'], viewer);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`ffe-ctl: cannot reach the FFE server at ${s.url} (connection refused); is \`ffe serve\` running?\n`);
  });
});
