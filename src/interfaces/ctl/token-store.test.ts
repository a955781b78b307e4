import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeFfeApi, USERS, type FakeFfeApi } from '../../../test/fakes/ffe-api.js';
import { ctl, ctlHome } from '../../../test/support/ctl.js';

let api: FakeFfeApi;
beforeAll(async () => (api = await startFakeFfeApi()));
afterAll(() => api.close());

const tokens = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { api_url: string; access_token: string; refresh_token: string; name: string };

describe('ffe-ctl login: the token store', () => {
  it('saves {api_url, access_token, refresh_token} with mode 0600 in a 0700 dir, and never prints a token', async () => {
    const home = ctlHome();
    const r = await ctl(['--api-url', api.url, 'login', '--name', 'alice', '--password-stdin'], { home, stdin: `${USERS.alice.password}\n` });
    expect(r.code).toBe(0);
    const file = join(home, '.config/ffe/ctl.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, '.config/ffe')).mode & 0o777).toBe(0o700);
    const t = tokens(file);
    expect(t).toMatchObject({ api_url: api.url, name: 'alice' });
    expect(t.access_token).toMatch(/^at_/);
    expect(r.stdout + r.stderr).not.toContain(t.access_token);
    expect(r.stdout + r.stderr).not.toContain(USERS.alice.password);
  });

  it('honours FFE_CTL_CONFIG and XDG_CONFIG_HOME', async () => {
    const home = ctlHome();
    expect((await ctl(['--api-url', api.url, 'login', '--name', 'alice', '--password-stdin'], { home, stdin: USERS.alice.password, env: { XDG_CONFIG_HOME: join(home, 'xdg') } })).code).toBe(0);
    expect(statSync(join(home, 'xdg/ffe/ctl.json')).mode & 0o777).toBe(0o600);
    expect((await ctl(['--api-url', api.url, 'login', '--name', 'alice', '--password-stdin'], { home, stdin: USERS.alice.password, env: { FFE_CTL_CONFIG: join(home, 'elsewhere/x.json') } })).code).toBe(0);
    expect(statSync(join(home, 'elsewhere/x.json')).mode & 0o777).toBe(0o600);
  });

  it('asks for the TOTP code on a terminal when the server wants one; refuses a wrong password with one line', async () => {
    const home = ctlHome();
    const ok = await ctl(['--api-url', api.url, 'login'], { home, answers: ['root', USERS.root.password, '123456'] });
    expect(ok.code).toBe(0);
    const bad = await ctl(['--api-url', api.url, 'login', '--name', 'alice', '--password-stdin'], { home: ctlHome(), stdin: 'wrong password' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('ffe-ctl: login refused: wrong name or password [AUTH_INVALID]\n');
  });

  it('refreshes on 401 AUTH_EXPIRED, saves the rotated pair, and retries a trade with the same Idempotency-Key', async () => {
    const home = ctlHome();
    await ctl(['--api-url', api.url, 'login', '--name', 'alice', '--password-stdin'], { home, stdin: USERS.alice.password });
    const file = join(home, '.config/ffe/ctl.json');
    const before = tokens(file);
    api.expireAccessTokens();
    const r = await ctl(['bot', 'status'], { home });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/state\s+stopped|state\s+running|state\s+emergency/);
    const after = tokens(file);
    expect(after.refresh_token).not.toBe(before.refresh_token);
    expect(after.access_token).not.toBe(before.access_token);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // Operator cannot trade in the fake; a trader login shows the idempotent retry.
    api.expireAccessTokens();
    const placed = api.ordersPlaced;
    const start = api.requests.length;
    const s = await ctl(['bot', 'stop'], { home });
    expect(s.code).toBe(0);
    const sent = api.requests.slice(start).map((q) => q.path);
    expect(sent).toEqual(['/api/v1/bot/stop', '/api/v1/auth/refresh', '/api/v1/bot/stop']);
    expect(api.ordersPlaced).toBe(placed);
    expect(r.stdout + r.stderr + s.stdout + s.stderr).not.toContain(after.access_token);
  });

  it('a spent refresh token ends in one line telling to log in again', async () => {
    const home = ctlHome();
    await ctl(['--api-url', api.url, 'login', '--name', 'alice', '--password-stdin'], { home, stdin: USERS.alice.password });
    const file = join(home, '.config/ffe/ctl.json');
    const t = tokens(file);
    await ctl(['logout'], { home }); // revokes the refresh token server-side, deletes the file
    expect(() => statSync(file)).toThrow();
    const { writeLogin } = await import('./token-store.js');
    writeLogin(file, t);
    api.expireAccessTokens();
    const r = await ctl(['bot', 'status'], { home });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ffe-ctl: the saved login for .* has expired .*run `ffe-ctl login` again\n$/);
    expect(r.stderr).not.toContain(t.refresh_token);
  });

  it('never sends the saved tokens to another server than the one that issued them', async () => {
    const home = ctlHome();
    await ctl(['--api-url', api.url, 'login', '--name', 'alice', '--password-stdin'], { home, stdin: USERS.alice.password });
    const other = await startFakeFfeApi();
    try {
      const r = await ctl(['--api-url', other.url, 'bot', 'status'], { home });
      expect(r.code).toBe(2);
      expect(other.requests[0].auth).toBeNull();
      expect(r.stderr).toMatch(/needs a credential .*--api-key, set FFE_API_KEY or run `ffe-ctl login`/);
    } finally {
      await other.close();
    }
  });
});
