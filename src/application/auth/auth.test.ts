import { afterEach, describe, expect, it } from 'vitest';
import { configHome } from '../../../test/support/config-home.js';
import { ManualClock } from '../../core/clock.js';
import { isFfeError } from '../../core/errors.js';
import { FfeApi } from '../api.js';
import { LOCAL_OPERATOR, type Principal } from './principal.js';
import { totpCode } from './totp.js';

const T0 = Date.UTC(2030, 0, 1, 12);
const opened: FfeApi[] = [];
afterEach(async () => {
  while (opened.length) await opened.pop()!.close();
});

async function open(yaml = '', home?: { cwd: string; env: Record<string, string> }) {
  const h = home ?? configHome(`auth:\n  lockout:\n    max_failures: 3\n    base_delay_ms: 1000\n    lockout_seconds: 60\n${yaml}`, 'ffe-auth-');
  const clock = new ManualClock(T0);
  const api = await FfeApi.open({ cwd: h.cwd, env: h.env, clock });
  opened.push(api);
  return { api, clock, home: h };
}

/** The error code a promise rejects with (or 'resolved'). */
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (isFfeError(e) ? e.code : `not an FfeError: ${String(e)}`),
  );
const errOf = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as Error & { code: string; httpStatus: number; details?: Record<string, unknown> },
  );

describe('users', () => {
  it('creates a user with a generated password shown once; lists it without hash or secret; refuses a duplicate name (409)', async () => {
    const { api } = await open();
    const created = await api.auth.createUser({ name: 'alice', role: 'admin' }, LOCAL_OPERATOR);
    expect(created.user).toMatchObject({ name: 'alice', role: 'admin', mfa: false, disabled: false });
    expect(created.password).toMatch(/^[A-Za-z0-9]{24}$/);
    const list = await api.auth.listUsers();
    expect(list.map((u) => u.name)).toEqual(['alice']);
    expect(JSON.stringify(list)).not.toMatch(/scrypt|password/);
    expect(JSON.stringify(list)).not.toContain(created.password);
    const dup = await errOf(api.auth.createUser({ name: 'alice', role: 'viewer', password: 'another long password' }, LOCAL_OPERATOR));
    expect([dup?.code, dup?.httpStatus]).toEqual(['USER_EXISTS', 409]);
    expect((await api.auth.login({ name: 'alice', password: created.password! })).principal).toEqual({ kind: 'user', id: created.user.id, name: 'alice', role: 'admin' });
  });

  it('validates name, role and password with one line naming the field, writing nothing', async () => {
    const { api } = await open();
    const bad = [
      [{ name: 'bad name!', role: 'viewer' }, 'USER_NAME_INVALID', /^name: /],
      [{ name: 'bob', role: 'superuser' }, 'ROLE_INVALID', /^role: one of viewer, analyst, trader, operator, admin, auditor$/],
      [{ name: 'bob', role: 'viewer', password: 'short' }, 'PASSWORD_INVALID', /^password: at least 12 characters$/],
    ] as const;
    for (const [input, code, message] of bad) {
      const e = await errOf(api.auth.createUser(input, LOCAL_OPERATOR));
      expect(e?.code).toBe(code);
      expect(e?.httpStatus).toBe(400);
      expect(e?.message).toMatch(message);
      expect(e?.message).not.toContain('\n');
    }
    expect(await api.auth.listUsers()).toEqual([]);
  });

  it('only an admin manages users and keys (AUTH_FORBIDDEN, 403)', async () => {
    const { api } = await open();
    const viewer: Principal = { kind: 'api_key', id: 'k', name: 'ro', role: 'viewer' };
    const e = await errOf(api.auth.createUser({ name: 'bob', role: 'admin' }, viewer));
    expect([e?.code, e?.httpStatus]).toEqual(['AUTH_FORBIDDEN', 403]);
    expect(await codeOf(api.auth.createApiKey({ name: 'x', role: 'admin' }, viewer))).toBe('AUTH_FORBIDDEN');
    expect(await api.auth.hasCredentials()).toBe(false);
  });

  it('set-role, reset-password and disable end the user’s sessions; a disabled user cannot log in and its token stops working here', async () => {
    const { api, clock } = await open();
    await api.auth.createUser({ name: 'bob', role: 'viewer', password: 'bob password 1' }, LOCAL_OPERATOR);
    const s1 = await api.auth.login({ name: 'bob', password: 'bob password 1' });
    expect((await api.auth.setRole('bob', 'trader', LOCAL_OPERATOR)).role).toBe('trader');
    expect(await codeOf(api.auth.refresh(s1.refresh_token))).toBe('REFRESH_INVALID');
    const reset = await api.auth.resetPassword('bob', undefined, LOCAL_OPERATOR);
    expect(reset.password).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(await codeOf(api.auth.login({ name: 'bob', password: 'bob password 1' }))).toBe('LOGIN_FAILED');
    clock.set(T0 + 60_000);
    const s2 = await api.auth.login({ name: 'bob', password: reset.password! });
    expect(s2.principal.role).toBe('trader');
    expect(await api.auth.hasCredentials()).toBe(true);
    expect((await api.auth.disableUser('bob', LOCAL_OPERATOR)).disabled).toBe(true);
    expect(await codeOf(api.auth.authenticate(`Bearer ${s2.access_token}`))).toBe('AUTH_INVALID');
    expect(await codeOf(api.auth.refresh(s2.refresh_token))).toBe('REFRESH_INVALID');
    expect(await codeOf(api.auth.login({ name: 'bob', password: reset.password! }))).toBe('LOGIN_FAILED');
    expect(await codeOf(api.auth.login({ name: 'bob', password: reset.password! }))).toBe('LOGIN_LOCKED');
    expect(await api.auth.hasCredentials()).toBe(false);
    expect(await codeOf(api.auth.setRole('nobody', 'admin', LOCAL_OPERATOR))).toBe('USER_NOT_FOUND');
  });

  it('never leaves no enabled admin: the last one cannot be demoted or disabled (LAST_ADMIN, 409)', async () => {
    const { api } = await open();
    await api.auth.createUser({ name: 'ada', role: 'admin', password: 'ada password 1' }, LOCAL_OPERATOR);
    const e = await errOf(api.auth.setRole('ada', 'operator', LOCAL_OPERATOR));
    expect([e?.code, e?.httpStatus]).toEqual(['LAST_ADMIN', 409]);
    expect(e?.message).toMatch(/"ada" is the last enabled admin/);
    expect(await codeOf(api.auth.disableUser('ada', LOCAL_OPERATOR))).toBe('LAST_ADMIN');
    expect((await api.auth.listUsers()).map((u) => [u.role, u.disabled])).toEqual([['admin', false]]);
    await api.auth.createUser({ name: 'bea', role: 'admin', password: 'bea password 1' }, LOCAL_OPERATOR);
    expect((await api.auth.setRole('ada', 'operator', LOCAL_OPERATOR)).role).toBe('operator');
    expect(await codeOf(api.auth.disableUser('bea', LOCAL_OPERATOR))).toBe('LAST_ADMIN');
  });
});

describe('login, tokens, lockout', () => {
  it('answers an unknown user and a wrong password the same (401), and a bearer-less request AUTH_REQUIRED', async () => {
    const { api, clock } = await open();
    await api.auth.createUser({ name: 'alice', role: 'viewer', password: 'alice password 1' }, LOCAL_OPERATOR);
    const wrong = await errOf(api.auth.login({ name: 'alice', password: 'not the password' }));
    clock.set(T0 + 3_600_000);
    const unknown = await errOf(api.auth.login({ name: 'mallory', password: 'not the password' }));
    expect([wrong?.code, wrong?.httpStatus, wrong?.message]).toEqual(['LOGIN_FAILED', 401, 'wrong user name or password']);
    expect([unknown?.code, unknown?.message]).toEqual([wrong?.code, wrong?.message]);
    expect(await codeOf(api.auth.authenticate(''))).toBe('AUTH_REQUIRED');
    expect(await codeOf(api.auth.authenticate('Bearer '))).toBe('AUTH_REQUIRED');
    expect(await codeOf(api.auth.authenticate('Bearer garbage'))).toBe('AUTH_INVALID');
  });

  it('waits longer after each failure, locks the name after max_failures (429 with the seconds), and a success clears the count', async () => {
    const { api, clock } = await open();
    await api.auth.createUser({ name: 'alice', role: 'viewer', password: 'alice password 1' }, LOCAL_OPERATOR);
    const attempt = (password: string) => errOf(api.auth.login({ name: 'alice', password }));
    expect((await attempt('wrong password 1'))?.code).toBe('LOGIN_FAILED');
    // Straight after the first failure: 1 s to wait, even with the right password.
    const early = await attempt('alice password 1');
    expect([early?.code, early?.httpStatus, early?.details]).toEqual(['LOGIN_LOCKED', 429, { retry_after_seconds: 1 }]);
    clock.set(T0 + 1000);
    expect((await attempt('wrong password 2'))?.code).toBe('LOGIN_FAILED');
    clock.set(T0 + 2000);
    expect((await attempt('wrong password 3'))?.details).toEqual({ retry_after_seconds: 1 });
    clock.set(T0 + 3000);
    expect((await attempt('wrong password 3'))?.code).toBe('LOGIN_FAILED');
    // Third failure: locked for lockout_seconds (60).
    clock.set(T0 + 30_000);
    expect((await attempt('alice password 1'))?.details).toEqual({ retry_after_seconds: 33 });
    clock.set(T0 + 63_000);
    expect(await attempt('alice password 1')).toBeNull();
    expect(await attempt('alice password 1')).toBeNull();
  });

  it('access tokens authenticate until they expire (runtime clock), then AUTH_EXPIRED', async () => {
    const { api, clock } = await open('  access_ttl_seconds: 60\n');
    await api.auth.createUser({ name: 'alice', role: 'analyst', password: 'alice password 1' }, LOCAL_OPERATOR);
    const s = await api.auth.login({ name: 'alice', password: 'alice password 1' });
    expect([s.token_type, s.expires_in]).toEqual(['Bearer', 60]);
    expect(await api.auth.authenticate(`Bearer ${s.access_token}`)).toEqual(s.principal);
    clock.set(T0 + 59_000);
    expect((await api.auth.authenticate(s.access_token)).name).toBe('alice');
    clock.set(T0 + 60_000);
    const e = await errOf(api.auth.authenticate(`Bearer ${s.access_token}`));
    expect([e?.code, e?.httpStatus]).toEqual(['AUTH_EXPIRED', 401]);
  });

  it('refresh rotates: each use returns a new token and retires the old; re-using a retired one revokes the whole family', async () => {
    const { api, clock } = await open();
    await api.auth.createUser({ name: 'alice', role: 'viewer', password: 'alice password 1' }, LOCAL_OPERATOR);
    const other = await api.auth.login({ name: 'alice', password: 'alice password 1' });
    const s0 = await api.auth.login({ name: 'alice', password: 'alice password 1' });
    clock.set(T0 + 10_000);
    const s1 = await api.auth.refresh(s0.refresh_token);
    expect(s1.refresh_token).not.toBe(s0.refresh_token);
    expect(s1.principal.name).toBe('alice');
    const s2 = await api.auth.refresh(s1.refresh_token);
    // s0 was retired: presenting it again (a stolen copy) ends the login, including the live s2.
    const reuse = await errOf(api.auth.refresh(s0.refresh_token));
    expect([reuse?.code, reuse?.httpStatus]).toEqual(['REFRESH_REUSED', 401]);
    expect(await codeOf(api.auth.refresh(s2.refresh_token))).toBe('REFRESH_INVALID');
    // Another login (another family) is untouched; logout ends it.
    const o1 = await api.auth.refresh(other.refresh_token);
    await api.auth.logout(o1.refresh_token);
    expect(await codeOf(api.auth.refresh(o1.refresh_token))).toBe('REFRESH_INVALID');
    await api.auth.logout('no such token');
    expect(await codeOf(api.auth.refresh('no such token'))).toBe('REFRESH_INVALID');
  });

  it('a refresh token expires after refresh_ttl_seconds', async () => {
    const { api, clock } = await open('  refresh_ttl_seconds: 120\n');
    await api.auth.createUser({ name: 'alice', role: 'viewer', password: 'alice password 1' }, LOCAL_OPERATOR);
    const s = await api.auth.login({ name: 'alice', password: 'alice password 1' });
    clock.set(T0 + 120_000);
    expect(await codeOf(api.auth.refresh(s.refresh_token))).toBe('REFRESH_INVALID');
  });

  it('the generated signing key is stored once: another process on the same data home accepts the token', async () => {
    const first = await open();
    await first.api.auth.createUser({ name: 'alice', role: 'viewer', password: 'alice password 1' }, LOCAL_OPERATOR);
    const s = await first.api.auth.login({ name: 'alice', password: 'alice password 1' });
    const second = await open('', first.home);
    expect((await second.api.auth.authenticate(s.access_token)).name).toBe('alice');
  });
});

describe('API keys', () => {
  it('a key authenticates as its name and role, is shown once, listed by prefix only, and stops at once when revoked', async () => {
    const { api, clock } = await open();
    const k = await api.auth.createApiKey({ name: 'ci-bot', role: 'operator' }, LOCAL_OPERATOR);
    expect(k.key).toMatch(/^ffe_[A-Za-z0-9]{8}_[A-Za-z0-9]{40}$/);
    expect(k.key.startsWith(k.prefix)).toBe(true);
    expect(k.created_by).toBe('local:local-cli');
    expect(await api.auth.authenticate(`Bearer ${k.key}`)).toEqual({ kind: 'api_key', id: k.id, name: 'ci-bot', role: 'operator' });
    const listed = await api.auth.listApiKeys();
    expect(listed).toEqual([
      { id: k.id, name: 'ci-bot', role: 'operator', prefix: k.prefix, created_by: 'local:local-cli', created_at: new Date(T0).toISOString(), last_used_at: new Date(T0).toISOString(), revoked_at: null },
    ]);
    expect(JSON.stringify(listed)).not.toContain(k.key.slice(13));
    // last_used_at is written at most once a minute.
    clock.set(T0 + 30_000);
    await api.auth.authenticate(k.key);
    expect((await api.auth.listApiKeys())[0].last_used_at).toBe(new Date(T0).toISOString());
    clock.set(T0 + 61_000);
    await api.auth.authenticate(k.key);
    expect((await api.auth.listApiKeys())[0].last_used_at).toBe(new Date(T0 + 61_000).toISOString());
    // A wrong key of the right shape, and a near miss of the real one.
    expect(await codeOf(api.auth.authenticate(`${k.prefix}_${'A'.repeat(40)}`))).toBe('AUTH_INVALID');
    expect(await codeOf(api.auth.authenticate(`${k.key.slice(0, -1)}x`))).toBe(k.key.endsWith('x') ? 'resolved' : 'AUTH_INVALID');
    // Revoked by its bare prefix: refused at once though the key was cached.
    const revoked = await api.auth.revokeApiKey(k.prefix.slice(4), LOCAL_OPERATOR);
    expect(revoked.revoked_at).toBe(new Date(T0 + 61_000).toISOString());
    expect(await codeOf(api.auth.authenticate(k.key))).toBe('AUTH_INVALID');
    expect(await codeOf(api.auth.revokeApiKey(k.id, LOCAL_OPERATOR))).toBe('API_KEY_REVOKED');
    expect(await codeOf(api.auth.revokeApiKey('ffe_nothing0', LOCAL_OPERATOR))).toBe('API_KEY_NOT_FOUND');
    expect(await api.auth.hasCredentials()).toBe(false);
  });

  it('another process revoking a key: this one stops accepting it once its cache entry lapses', async () => {
    const a = await open();
    const k = await a.api.auth.createApiKey({ name: 'ci', role: 'viewer' }, LOCAL_OPERATOR);
    await a.api.auth.authenticate(k.key);
    const b = await open('', a.home);
    await b.api.auth.revokeApiKey(k.id, LOCAL_OPERATOR);
    a.clock.set(T0 + 5_000);
    expect(await codeOf(a.api.auth.authenticate(k.key))).toBe('AUTH_INVALID');
  });
});

describe('MFA (TOTP)', () => {
  async function enrolled(yaml = '') {
    const o = await open(yaml);
    await o.api.auth.createUser({ name: 'root', role: 'admin', password: 'root password 1' }, LOCAL_OPERATOR);
    const { secret, otpauth_uri } = await o.api.auth.enrollMfa('root');
    expect(otpauth_uri).toContain(`secret=${secret}`);
    // Pending until confirmed: logins need no code yet.
    await o.api.auth.login({ name: 'root', password: 'root password 1' });
    expect(await codeOf(o.api.auth.confirmMfa('root', '000000'))).toBe(totpCode(secret, T0) === '000000' ? 'resolved' : 'MFA_INVALID');
    expect((await o.api.auth.confirmMfa('root', totpCode(secret, T0))).mfa).toBe(true);
    return { ...o, secret };
  }

  it('an enrolled user needs a valid code; a code is accepted once (no replay); codes from the next step work', async () => {
    const { api, clock, secret } = await enrolled();
    const pw = { name: 'root', password: 'root password 1' };
    const missing = await errOf(api.auth.login(pw));
    expect([missing?.code, missing?.httpStatus]).toEqual(['MFA_REQUIRED', 401]);
    // The confirmation used T0's code: it cannot log in again.
    expect(await codeOf(api.auth.login({ ...pw, totp: totpCode(secret, T0) }))).toBe('MFA_INVALID');
    clock.set(T0 + 30_000);
    const code = totpCode(secret, T0 + 30_000);
    expect((await api.auth.login({ ...pw, totp: code })).principal.role).toBe('admin');
    clock.set(T0 + 31_000);
    const replay = await errOf(api.auth.login({ ...pw, totp: code }));
    expect([replay?.code, replay?.httpStatus]).toEqual(['MFA_INVALID', 401]);
    clock.set(T0 + 65_000);
    expect(await codeOf(api.auth.login({ ...pw, totp: totpCode(secret, T0 + 60_000) }))).toBe('resolved');
    expect(await codeOf(api.auth.enrollMfa('root'))).toBe('MFA_ALREADY_ENABLED');
    expect((await api.auth.disableMfa('root', LOCAL_OPERATOR)).mfa).toBe(false);
    clock.set(T0 + 200_000);
    expect(await codeOf(api.auth.login(pw))).toBe('resolved');
    expect(await codeOf(api.auth.confirmMfa('root', '123456'))).toBe('MFA_NOT_ENROLLED');
  });

  it('with auth.require_mfa_for_admin, an admin without MFA is refused (403) until enrolled; other roles are not', async () => {
    const { api, clock } = await open('  require_mfa_for_admin: true\n');
    await api.auth.createUser({ name: 'root', role: 'admin', password: 'root password 1' }, LOCAL_OPERATOR);
    await api.auth.createUser({ name: 'eve', role: 'viewer', password: 'eve password 12' }, LOCAL_OPERATOR);
    const e = await errOf(api.auth.login({ name: 'root', password: 'root password 1' }));
    expect([e?.code, e?.httpStatus]).toEqual(['MFA_ENROLLMENT_REQUIRED', 403]);
    expect(e?.message).toContain('ffe user mfa enroll root');
    expect(await codeOf(api.auth.login({ name: 'eve', password: 'eve password 12' }))).toBe('resolved');
    const { secret } = await api.auth.enrollMfa('root');
    await api.auth.confirmMfa('root', totpCode(secret, T0));
    clock.set(T0 + 30_000);
    expect((await api.auth.login({ name: 'root', password: 'root password 1', totp: totpCode(secret, T0 + 30_000) })).principal.name).toBe('root');
  });
});
