import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeFfeApi, type FakeFfeApi } from '../fakes/ffe-api.js';
import { ctlBin, ctlHome, FFE_CTL_BIN } from '../support/ctl.js';

/**
 * The built `bin/ffe-ctl.js` against the fake API (a stand-in for `ffe serve` until the lead's
 * end-to-end test against the real server lands): the operator flow in dry-run, and a server that is down.
 */
let api: FakeFfeApi;
beforeAll(async () => (api = await startFakeFfeApi()));
afterAll(() => api.close());

describe('ffe-ctl (built binary)', () => {
  it('drives start in dry-run, status, decisions, positions and an emergency stop', async () => {
    const home = ctlHome();
    const env = { FFE_API_URL: api.url, FFE_API_KEY: 'ffe_k_operator_4d2e9a' };
    const start = await ctlBin(['bot', 'start', '--assets', 'BTCUSD', '--dry-run'], { home, env });
    expect([start.code, start.stderr]).toEqual([0, '']);
    expect(start.stdout).toContain('bot started: running');
    const status = await ctlBin(['--json', 'bot', 'status'], { home, env });
    expect(JSON.parse(status.stdout)).toMatchObject({ state: 'running' });
    const decisions = await ctlBin(['decisions', 'list'], { home, env });
    expect(decisions.stdout).toContain('dec_1');
    const positions = await ctlBin(['positions', 'list'], { home, env });
    expect(positions.stdout).toContain('pos_1');
    const stop = await ctlBin(['bot', 'emergency-stop', '--close-positions'], { home, env });
    expect(stop.code).toBe(0);
    expect(stop.stdout).toContain('emergency_stopped');
    expect((await ctlBin(['positions', 'list'], { home, env })).stdout).toContain('no open positions');
    for (const r of [start, status, decisions, positions, stop]) expect(r.stdout + r.stderr).not.toContain('ffe_k_operator_4d2e9a');
  });

  it('says the server is down, with its URL, exit 1; bad input exits 2', async () => {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as { port: number }).port;
    await new Promise<void>((r) => s.close(() => r()));
    const r = await ctlBin(['--api-url', `http://127.0.0.1:${port}`, 'health', 'check'], { home: ctlHome() });
    expect([r.code, r.stderr]).toEqual([1, `ffe-ctl: cannot reach the FFE server at http://127.0.0.1:${port} (connection refused); is \`ffe serve\` running?\n`]);
    const bad = await ctlBin(['trade', '--pair', 'BTCUSD', '--side', 'buy', '--size', '0'], { home: ctlHome() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^ffe-ctl: option '--size <units>' argument '0' is invalid/);
  });

  it('Ctrl-C during `backtest run --wait` cancels the job on the server and exits 130', async () => {
    const home = ctlHome();
    const key = 'ffe_k_trader_77a0c1'; // trader holds the analyst's backtest permission
    const child = spawn(process.execPath, [FFE_CTL_BIN, '--api-url', api.url, '--api-key', key, 'backtest', 'run', '--pair', 'BTCUSD', '--param', 'polls_to_finish=100000', '--wait', '--interval', '0.2'], {
      cwd: home,
      env: { PATH: process.env.PATH ?? '', HOME: home, TZ: 'UTC' },
    });
    let stderr = '';
    const exited = new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    await new Promise<void>((resolve) =>
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (/running/.test(stderr)) resolve();
      }),
    );
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/cancelling backtest (job_\d+)/);
    const id = /cancelling backtest (job_\d+)/.exec(stderr)![1];
    expect(stderr).toMatch(new RegExp(`backtest job ${id} was cancelled`));
    expect(api.requests.some((q) => q.method === 'DELETE' && q.path === `/api/v1/backtests/${id}`)).toBe(true);
  });
});
