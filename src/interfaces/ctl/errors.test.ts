import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeFfeApi, type FakeFfeApi } from '../../../test/fakes/ffe-api.js';
import { ctl, ctlHome } from '../../../test/support/ctl.js';
import { duration, field, render } from './render.js';

let api: FakeFfeApi;
beforeAll(async () => (api = await startFakeFfeApi()));
afterAll(() => api.close());

const as = (key: string, args: string[]) => ctl(['--api-url', api.url, '--api-key', key, ...args], { home: ctlHome() });
const OP = 'ffe_k_operator_4d2e9a';

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('ffe-ctl: server errors as one line and the exit code `ffe` uses', () => {
  it('server down: names the URL and asks whether ffe serve runs (exit 1)', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const r = await ctl(['--api-url', url, 'bot', 'status'], { home: ctlHome() });
    expect([r.code, r.stderr]).toEqual([1, `ffe-ctl: cannot reach the FFE server at ${url} (connection refused); is \`ffe serve\` running?\n`]);
  });
  it('401: the key is wrong, which source to fix, never the key itself', async () => {
    const r = await as('ffe_k_wrong_secret_123', ['bot', 'status']);
    expect(r.code).toBe(2); // the catalogue's exit for AUTH_INVALID: the caller must fix the credential
    expect(r.stderr).toMatch(/^ffe-ctl: the API key from --api-key was refused \(invalid API key or token\).*ffe-ctl login/);
    expect(r.stderr).not.toContain('ffe_k_wrong_secret_123');
    const env = await ctl(['--api-url', api.url, 'bot', 'status'], { home: ctlHome(), env: { FFE_API_KEY: 'ffe_k_env_wrong_456' } });
    expect(env.stderr).toMatch(/from FFE_API_KEY was refused/);
    expect(env.stderr).not.toContain('ffe_k_env_wrong_456');
  });
  it('403 names the role needed (the server’s message)', async () => {
    const r = await as('ffe_k_viewer_5b1f2c', ['bot', 'start']);
    expect([r.code, r.stderr]).toEqual([2, 'ffe-ctl: permission denied: this needs the operator role (you are viewer) [FORBIDDEN]\n']);
  });
  it('400 names the fields; a catalogued code exits as the catalogue says (CONFIG_INVALID → 2)', async () => {
    const r = await as(OP, ['config', 'update', '--stop-loss', '0.9']);
    expect([r.code, r.stderr]).toEqual([2, 'ffe-ctl: the server refused the request: invalid bot config (stop_loss_pct: must be between 0 and 0.5) [CONFIG_INVALID]\n']);
  });
  it('404 and 409 print the message; 429 the wait; 5xx the request id', async () => {
    expect(await as(OP, ['decisions', 'show', 'dec_nope'])).toMatchObject({ code: 2, stderr: 'ffe-ctl: no decision dec_nope [DECISION_NOT_FOUND]\n' });
    expect(await as('ffe_k_trader_77a0c1', ['approvals', 'approve', 'dec_1'])).toMatchObject({ code: 2, stderr: 'ffe-ctl: decision dec_1 was already decided [APPROVAL_DECIDED]\n' });
    api.failNext('/api/v1/bot/status', 429, 'RATE_LIMITED', 'too many requests');
    expect(await as(OP, ['bot', 'status'])).toMatchObject({ code: 1, stderr: 'ffe-ctl: rate limited: too many requests (retry after 7 s) [RATE_LIMITED]\n' });
    api.failNext('/api/v1/bot/status', 500, 'INTERNAL', 'internal error');
    expect((await as(OP, ['bot', 'status'])).stderr).toMatch(/^ffe-ctl: the FFE server failed \(HTTP 500\): internal error \[INTERNAL\] \(request id req_\d+\)\n$/);
  });
  it('a dropped connection on a manual trade is retried once with the same Idempotency-Key: one order', async () => {
    const placed = api.ordersPlaced;
    const start = api.requests.length;
    api.dropNext('/api/v1/bot/manual-trade');
    const r = await as('ffe_k_trader_77a0c1', ['trade', '--pair', 'BTCUSD', '--side', 'buy', '--size', '0.01']);
    expect(r.code).toBe(0);
    const sent = api.requests.slice(start);
    expect(sent).toHaveLength(2);
    expect(sent[0].idempotencyKey).toBe(sent[1].idempotencyKey);
    expect(api.ordersPlaced).toBe(placed + 1);
  });
});

describe('ffe-ctl: output', () => {
  it('bot status as key-values with the ffe number rules', async () => {
    const r = await as(OP, ['bot', 'status']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/uptime_s\s+1h 02m 03s/);
    expect(r.stdout).toMatch(/portfolio_value\s+10,234.57/);
    expect(r.stdout).toMatch(/daily_pnl\s+-12.30/);
    expect(r.stdout).toMatch(/stop_loss_pct\s+2.00%/);
    expect(r.stdout).toMatch(/entry_price\s+64,250.50/);
    expect(r.stdout).toMatch(/created_at\s+2024-03-01T12:00:00Z/);
    expect(r.stdout).not.toMatch(/\[object Object\]|NaN/);
    const j = await as(OP, ['--json', 'bot', 'status']);
    expect(JSON.parse(j.stdout)).toMatchObject({ portfolio_value: 10234.5678, uptime_s: 3723 });
  });
  it('lists as tables, pages with the next command, backtest --wait with progress on stderr', async () => {
    const d = await as(OP, ['decisions', 'list', '--limit', '2']);
    expect(d.stdout).toContain('dec_1');
    expect(d.stdout).toContain('more: ffe-ctl decisions list --limit 2 --cursor 2');
    const p = await as(OP, ['positions', 'list']);
    expect(p.stdout).toMatch(/pos_1.*BTCUSD.*LONG.*0\.05000000.*64,000\.00/);
    const b = await as(OP, ['backtest', 'run', '--pair', 'BTCUSD', '--wait', '--interval', '0.01']);
    expect(b.code).toBe(0);
    expect(b.stderr).toMatch(/backtest job_\d+: running 33%/);
    expect(b.stdout).toMatch(/total_return\s+0.1234/);
    const h = await as(OP, ['health', 'check']);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/\/ready.*200.*yes/);
    const m = await as(OP, ['metrics', 'show', '--grep', 'ffe_decisions']);
    expect(m.stdout.split('\n').filter(Boolean)).toEqual(['# HELP ffe_decisions_total Decisions made', '# TYPE ffe_decisions_total counter', 'ffe_decisions_total{asset_pair="BTCUSD"} 5']);
    const v = await as('ffe_k_auditor_9c3b7f', ['audit', 'verify']);
    expect([v.code, v.stdout]).toEqual([0, 'audit log intact: 1 entries checked\n']);
  });
  it('the generic renderer never prints [object Object] or NaN', () => {
    const text = render({ a: { b: { c: { d: { e: 1 } } } }, n: NaN, s: 'NaN', list: [{ x: 1 }, { y: [1, { z: 2 }] }], empty: {}, inf: Infinity, t: true });
    expect(text).not.toMatch(/\[object Object\]|NaN|Infinity/);
    expect(field('size', 0.123456789, { asset_pair: 'BTCUSD' })).toBe('0.12345679');
    expect(field('unrealized_pnl', '-0.001')).toBe('0.00');
    expect(duration(90061)).toBe('1d 01h 01m');
  });
});
