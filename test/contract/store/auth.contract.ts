import { describe, expect, it } from 'vitest';
import type { ApiKeyRecord, RefreshTokenRecord, UserRecord } from '../../../src/store/port.js';
import type { StoreContext } from './context.js';

export const T0 = 1_700_000_000_000;

export const userRecord = (id: string, name = id, over: Partial<UserRecord> = {}): UserRecord => ({
  id,
  name,
  role: 'viewer',
  passwordHash: `scrypt$hash-of-${id}`,
  totpSecret: null,
  mfaEnabled: false,
  totpLastStep: null,
  disabled: false,
  createdAt: T0,
  updatedAt: T0,
  ...over,
});

export const apiKeyRecord = (id: string, over: Partial<ApiKeyRecord> = {}): ApiKeyRecord => ({
  id,
  name: `key-${id}`,
  role: 'trader',
  prefix: `ffe_${id.padEnd(8, '0').slice(0, 8)}`,
  hash: `hash-${id}`,
  createdBy: 'local:local-cli',
  createdAt: T0,
  lastUsedAt: null,
  revokedAt: null,
  ...over,
});

export const refreshRecord = (id: string, over: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord => ({
  id,
  userId: 'u1',
  familyId: 'f1',
  hash: `rt-${id}`,
  createdAt: T0,
  expiresAt: T0 + 1000,
  rotatedAt: null,
  revokedAt: null,
  ...over,
});

/** Users, API keys, refresh tokens, failed-login counters and settings. */
export function authContract(ctx: StoreContext): void {
  describe('auth: users', () => {
    it('adds a user, reads it by name and id, refuses a second user of the same name', async () => {
      const s = await ctx.open();
      const u = userRecord('u1', 'alice', { role: 'admin', totpSecret: 'JBSWY3DPEHPK3PXP', mfaEnabled: true, totpLastStep: 7 });
      expect(await s.auth.addUser(u)).toBe(true);
      expect(await s.auth.userByName('alice')).toEqual(u);
      expect(await s.auth.userById('u1')).toEqual(u);
      expect(await s.auth.addUser(userRecord('u2', 'alice'))).toBe(false);
      expect(await s.auth.userById('u2')).toBeNull();
      expect(await s.auth.userByName('bob')).toBeNull();
    });

    it('lists users oldest first without password hash or TOTP secret', async () => {
      const s = await ctx.open();
      await s.auth.addUser(userRecord('u2', 'bob', { createdAt: T0 + 5, updatedAt: T0 + 5, totpSecret: 'SECRETSECRET' }));
      await s.auth.addUser(userRecord('u1', 'alice', { disabled: true, mfaEnabled: true }));
      const list = await s.auth.listUsers();
      expect(list).toEqual([
        { id: 'u1', name: 'alice', role: 'viewer', mfaEnabled: true, disabled: true, createdAt: T0, updatedAt: T0 },
        { id: 'u2', name: 'bob', role: 'viewer', mfaEnabled: false, disabled: false, createdAt: T0 + 5, updatedAt: T0 + 5 },
      ]);
      expect(JSON.stringify(list)).not.toMatch(/hash-of|SECRETSECRET/);
    });

    it('updates only the fields given, and the update time; false for an unknown id', async () => {
      const s = await ctx.open();
      await s.auth.addUser(userRecord('u1', 'alice'));
      expect(await s.auth.updateUser('u1', { role: 'operator', totpSecret: 'ABC', mfaEnabled: true }, T0 + 10)).toBe(true);
      expect(await s.auth.userById('u1')).toEqual(userRecord('u1', 'alice', { role: 'operator', totpSecret: 'ABC', mfaEnabled: true, updatedAt: T0 + 10 }));
      expect(await s.auth.updateUser('u1', { passwordHash: 'new', disabled: true, totpSecret: null, mfaEnabled: false, totpLastStep: null }, T0 + 20)).toBe(true);
      expect(await s.auth.userById('u1')).toEqual(userRecord('u1', 'alice', { role: 'operator', passwordHash: 'new', disabled: true, updatedAt: T0 + 20 }));
      expect(await s.auth.updateUser('nobody', { role: 'admin' }, T0)).toBe(false);
    });

    it('accepts a TOTP step only when later than the last one accepted', async () => {
      const s = await ctx.open();
      await s.auth.addUser(userRecord('u1'));
      expect(await s.auth.useTotpStep('u1', 100)).toBe(true);
      expect(await s.auth.useTotpStep('u1', 100)).toBe(false);
      expect(await s.auth.useTotpStep('u1', 99)).toBe(false);
      expect(await s.auth.useTotpStep('u1', 101)).toBe(true);
      expect((await s.auth.userById('u1'))?.totpLastStep).toBe(101);
      expect(await s.auth.useTotpStep('nobody', 1)).toBe(false);
    });
  });

  describe('auth: API keys', () => {
    it('adds keys, finds them by hash, id or prefix, lists them without hashes; a prefix is unique', async () => {
      const s = await ctx.open();
      const k = apiKeyRecord('k1');
      expect(await s.auth.addApiKey(k)).toBe(true);
      expect(await s.auth.addApiKey(apiKeyRecord('k2', { createdAt: T0 + 1 }))).toBe(true);
      expect(await s.auth.addApiKey(apiKeyRecord('k3', { prefix: k.prefix, hash: 'other' }))).toBe(false);
      expect(await s.auth.apiKeyByHash('hash-k1')).toEqual(k);
      expect(await s.auth.apiKeyByHash('nope')).toBeNull();
      const { hash: _, ...summary } = k;
      expect(await s.auth.findApiKey('k1')).toEqual(summary);
      expect(await s.auth.findApiKey(k.prefix)).toEqual(summary);
      expect(await s.auth.findApiKey('ffe_nothing0')).toBeNull();
      const list = await s.auth.listApiKeys();
      expect(list.map((x) => x.id)).toEqual(['k1', 'k2']);
      expect(JSON.stringify(list)).not.toContain('hash-k');
    });

    it('revokes a key once; touch records the last use', async () => {
      const s = await ctx.open();
      await s.auth.addApiKey(apiKeyRecord('k1'));
      expect(await s.auth.revokeApiKey('k1', T0 + 5)).toBe(true);
      expect(await s.auth.revokeApiKey('k1', T0 + 6)).toBe(false);
      expect(await s.auth.revokeApiKey('nope', T0 + 6)).toBe(false);
      await s.auth.touchApiKey('k1', T0 + 9);
      expect(await s.auth.apiKeyByHash('hash-k1')).toMatchObject({ revokedAt: T0 + 5, lastUsedAt: T0 + 9 });
    });
  });

  describe('auth: refresh tokens', () => {
    it('stores a token by hash; rotates a live one once; revoking the family retires every live token of it', async () => {
      const s = await ctx.open();
      await s.auth.addRefreshToken(refreshRecord('r1'));
      await s.auth.addRefreshToken(refreshRecord('r2'));
      await s.auth.addRefreshToken(refreshRecord('r3', { familyId: 'f2' }));
      expect(await s.auth.refreshTokenByHash('rt-r1')).toEqual(refreshRecord('r1'));
      expect(await s.auth.refreshTokenByHash('nope')).toBeNull();
      expect(await s.auth.rotateRefreshToken('r1', T0 + 1)).toBe(true);
      expect(await s.auth.rotateRefreshToken('r1', T0 + 2)).toBe(false);
      expect(await s.auth.revokeRefreshFamily('f1', T0 + 3)).toBe(2);
      expect(await s.auth.revokeRefreshFamily('f1', T0 + 4)).toBe(0);
      expect(await s.auth.refreshTokenByHash('rt-r1')).toEqual(refreshRecord('r1', { rotatedAt: T0 + 1, revokedAt: T0 + 3 }));
      expect(await s.auth.rotateRefreshToken('r2', T0 + 5)).toBe(false);
      expect((await s.auth.refreshTokenByHash('rt-r3'))?.revokedAt).toBeNull();
    });

    it('revokes every live token of a user, whatever the family', async () => {
      const s = await ctx.open();
      await s.auth.addRefreshToken(refreshRecord('r1'));
      await s.auth.addRefreshToken(refreshRecord('r2', { familyId: 'f2' }));
      await s.auth.addRefreshToken(refreshRecord('r3', { userId: 'u2', familyId: 'f3' }));
      expect(await s.auth.revokeUserRefreshTokens('u1', T0 + 1)).toBe(2);
      expect((await s.auth.refreshTokenByHash('rt-r2'))?.revokedAt).toBe(T0 + 1);
      expect((await s.auth.refreshTokenByHash('rt-r3'))?.revokedAt).toBeNull();
    });
  });

  describe('auth: failed logins, credentials, settings', () => {
    it('keeps failure counters per name, overwrites and clears them', async () => {
      const s = await ctx.open();
      expect(await s.auth.loginFailures('alice')).toBeNull();
      await s.auth.setLoginFailures({ name: 'alice', count: 1, lastFailureAt: T0, lockedUntil: null });
      await s.auth.setLoginFailures({ name: 'alice', count: 5, lastFailureAt: T0 + 1, lockedUntil: T0 + 900 });
      await s.auth.setLoginFailures({ name: 'bob', count: 1, lastFailureAt: T0, lockedUntil: null });
      expect(await s.auth.loginFailures('alice')).toEqual({ name: 'alice', count: 5, lastFailureAt: T0 + 1, lockedUntil: T0 + 900 });
      await s.auth.clearLoginFailures('alice');
      expect(await s.auth.loginFailures('alice')).toBeNull();
      expect((await s.auth.loginFailures('bob'))?.count).toBe(1);
    });

    it('has credentials once an enabled user or an unrevoked key exists', async () => {
      const s = await ctx.open();
      expect(await s.auth.hasCredentials()).toBe(false);
      await s.auth.addUser(userRecord('u1', 'alice', { disabled: true }));
      await s.auth.addApiKey(apiKeyRecord('k1', { revokedAt: T0 }));
      expect(await s.auth.hasCredentials()).toBe(false);
      await s.auth.addApiKey(apiKeyRecord('k2'));
      expect(await s.auth.hasCredentials()).toBe(true);
      await s.auth.revokeApiKey('k2', T0);
      expect(await s.auth.hasCredentials()).toBe(false);
      await s.auth.updateUser('u1', { disabled: false }, T0);
      expect(await s.auth.hasCredentials()).toBe(true);
    });

    it('settingOrInit stores the first value and keeps it; another handle sees it', async () => {
      const s = await ctx.open();
      expect(await s.auth.setting('jwt')).toBeNull();
      expect(await s.auth.settingOrInit('jwt', 'first')).toBe('first');
      expect(await s.auth.settingOrInit('jwt', 'second')).toBe('first');
      expect(await s.auth.setting('jwt')).toBe('first');
      const other = await ctx.other();
      if (other) expect(await other.auth.settingOrInit('jwt', 'third')).toBe('first');
    });
  });
}
