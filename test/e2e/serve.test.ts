import { describe, expect, it } from 'vitest';
import { runCli, tempCwd } from '../support/cli.js';
import { call, createKey, startServe, type Served } from '../support/serve.js';

/** Polls until `fn` holds (the agent's start is asynchronous); no fixed sleeps. */
async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, tries = 300): Promise<T> {
  let v = await fn();
  for (let i = 0; i < tries && !ok(v); i++) {
    await new Promise((r) => setTimeout(r, 100));
    v = await fn();
  }
  return v;
}

async function sigterm(s: Served): Promise<number | null> {
  s.child.kill('SIGTERM');
  return s.exited;
}

async function sigkill(s: Served): Promise<void> {
  s.child.kill('SIGKILL');
  await s.exited;
}

describe('ffe serve (built CLI)', () => {
  it('fresh install: prints the URL and the first-user hint, probes and docs answer, keys authenticate, SIGTERM drains to exit 0', async () => {
    const cwd = tempCwd('ffe-serve-');
    const s = await startServe(cwd);
    try {
      expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(s.stdout()).toContain(`${s.url}/docs`);
      expect(s.stdout()).toContain('ffe user create NAME --role admin');
      expect(s.stdout()).toContain('ffe apikey create --name N --role R');
      expect((await call(s.url, '/live')).status).toBe(200);
      expect(await call(s.url, '/ready')).toEqual({ status: 200, body: { status: 'ready' } });
      const docs = await call(s.url, '/docs/json');
      expect(docs.status).toBe(200);
      expect(docs.body.openapi).toMatch(/^3\./);
      for (const p of ['/api/v1/bot/status', '/api/v1/bot/start', '/api/v1/decisions', '/api/v1/audit']) expect(Object.keys(docs.body.paths)).toContain(p);
      const anon = await call(s.url, '/api/v1/bot/status');
      expect(anon.status).toBe(401);
      expect(anon.body.error).toMatchObject({ code: 'UNAUTHENTICATED' });
      expect(typeof anon.body.error.request_id).toBe('string');
      // A key made by the CLI on the same store while the server runs is accepted at once.
      const key = await createKey(cwd, 'viewer');
      const ok = await call(s.url, '/api/v1/bot/status', { key });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ state: 'stopped', requested_state: 'stopped' });
      expect(s.stderr()).not.toContain(key);
    } finally {
      s.child.kill('SIGTERM');
    }
    // Once the drain is logged (drain() runs in the same tick), /ready answers 503 or the listener is already closed: never 200.
    await until(
      async () => s.stderr().includes('"msg":"draining') || s.child.exitCode !== null,
      (v) => v,
    );
    const during = await call(s.url, '/ready').catch(() => null);
    if (during) expect(during.status).toBe(503);
    expect(await s.exited).toBe(0);
    expect(s.stderr()).toContain('"msg":"draining');
    expect(s.stderr()).toMatch(/"drain_ms":\d+/);
  });

  it('refuses a non-loopback address while no credential exists (exit 2, one line); binds once a key exists', async () => {
    const cwd = tempCwd('ffe-serve-bind-');
    const r = await runCli(['serve', '--host', '0.0.0.0', '--port', '0'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^ffe: refusing to bind 0\.0\.0\.0: no user or API key exists yet/);
    expect(r.stdout).toBe('');
    const bad = await runCli(['serve', '--port', '70000'], { cwd });
    expect([bad.code, bad.stderr]).toEqual([2, 'ffe: --port must be an integer from 0 to 65535, got "70000"\n']);

    await createKey(cwd, 'admin');
    const s = await startServe(cwd, ['--host', '0.0.0.0', '--port', '0']);
    expect(s.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    expect(s.stdout()).not.toContain('ffe user create');
    const port = new URL(s.url).port;
    expect((await call(`http://127.0.0.1:${port}`, '/live')).status).toBe(200);
    expect(await sigterm(s)).toBe(0);
  });

  it('the agent requested state survives SIGKILL: running resumes, stopped stays stopped, emergency-stopped stays halted until an admin clears it', async () => {
    const cwd = tempCwd('ffe-serve-state-');
    const op = await createKey(cwd, 'operator');
    const admin = await createKey(cwd, 'admin');
    const status = (url: string) => call(url, '/api/v1/bot/status', { key: op });

    // Running → SIGKILL → resumed.
    let s = await startServe(cwd);
    const started = await call(s.url, '/api/v1/bot/start', { key: op, method: 'POST', body: { asset_pairs: ['BTCUSD'], dry_run: true } });
    expect(started.status).toBe(200);
    expect(started.body.requested_state).toBe('running');
    expect(
      (
        await until(
          () => status(s.url),
          (r) => r.body.state === 'running',
        )
      ).body.state,
    ).toBe('running');
    await sigkill(s);
    s = await startServe(cwd);
    const resumed = await until(
      () => status(s.url),
      (r) => r.body.state === 'running',
    );
    expect(resumed.body).toMatchObject({ state: 'running', requested_state: 'running', requested: { asset_pairs: ['BTCUSD'], dry_run: true } });

    // Stopped → SIGKILL → stays stopped.
    expect((await call(s.url, '/api/v1/bot/stop', { key: op, method: 'POST' })).body).toMatchObject({ state: 'stopped', requested_state: 'stopped' });
    await sigkill(s);
    s = await startServe(cwd);
    expect((await status(s.url)).body).toMatchObject({ state: 'stopped', requested_state: 'stopped' });

    // Emergency-stopped → SIGKILL → stays halted; start is refused (409) until an admin clears it.
    expect((await call(s.url, '/api/v1/bot/start', { key: op, method: 'POST', body: { asset_pairs: ['BTCUSD'], dry_run: true } })).status).toBe(200);
    const es = await call(s.url, '/api/v1/bot/emergency-stop', { key: op, method: 'POST' });
    expect(es.status).toBe(200);
    expect(es.body.status).toMatchObject({ state: 'emergency_stopped' });
    await sigkill(s);
    s = await startServe(cwd);
    try {
      expect((await status(s.url)).body).toMatchObject({ state: 'emergency_stopped', requested_state: 'emergency_stopped', kill_switch: { tripped: true } });
      const refused = await call(s.url, '/api/v1/bot/start', { key: op, method: 'POST', body: { dry_run: true } });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('BOT_EMERGENCY_STOPPED');
      expect((await call(s.url, '/api/v1/bot/clear-emergency-stop', { key: op, method: 'POST', body: { reason: 'checked' } })).status).toBe(403);
      const cleared = await call(s.url, '/api/v1/bot/clear-emergency-stop', { key: admin, method: 'POST', body: { reason: 'checked' } });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({ state: 'stopped', kill_switch: { tripped: false } });
      expect((await call(s.url, '/api/v1/bot/start', { key: op, method: 'POST', body: { asset_pairs: ['BTCUSD'], dry_run: true } })).status).toBe(200);
    } finally {
      expect(await sigterm(s)).toBe(0);
    }
    // A drained server leaves the agent requested running: the next start resumes it.
    s = await startServe(cwd);
    expect(
      (
        await until(
          () => status(s.url),
          (r) => r.body.state === 'running',
        )
      ).body.requested_state,
    ).toBe('running');
    expect(await sigterm(s)).toBe(0);
  }, 180_000); // three serve starts and SIGKILLs: generous, so a loaded machine never fails it
});
