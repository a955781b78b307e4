import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { totpCode } from '../../src/application/auth/totp.js';
import { runCli, tempCwd } from '../support/cli.js';

/** `ffe user ...` and `ffe apikey ...` as an operator uses them: secrets printed once, never listed. */
describe('ffe user / ffe apikey', () => {
  it('creates a user and a key, prints each secret once, and lists neither the password, its hash nor the key', async () => {
    const cwd = tempCwd('ffe-auth-cli-');
    const created = await runCli(['user', 'create', 'root', '--role', 'admin'], { cwd });
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const password = /password: ([A-Za-z0-9]{24})/.exec(created.stdout)?.[1];
    expect(password).toBeDefined();
    expect(created.stdout).toContain('it will not be shown again');

    const viaStdin = await runCli(['user', 'create', 'ana', '--role', 'analyst', '--password-stdin', '--json'], { cwd, input: 'a long enough password\n' });
    expect(viaStdin.code).toBe(0);
    expect(JSON.parse(viaStdin.stdout)).toMatchObject({ user: { name: 'ana', role: 'analyst', mfa: false } });
    expect(viaStdin.stdout).not.toContain('a long enough password');

    const key = await runCli(['apikey', 'create', '--name', 'ci-bot', '--role', 'operator', '--json'], { cwd });
    expect(key.code).toBe(0);
    const k = JSON.parse(key.stdout) as { key: string; prefix: string; id: string };
    expect(k.key).toMatch(/^ffe_[A-Za-z0-9]{8}_[A-Za-z0-9]{40}$/);

    const db = new Database(join(cwd, 'data/ffe.db'), { readonly: true });
    const hashes = (db.prepare('select password_hash from auth_users').all() as { password_hash: string }[]).map((r) => r.password_hash);
    const keyHash = (db.prepare('select hash from auth_api_keys').get() as { hash: string }).hash;
    db.close();
    expect(hashes).toHaveLength(2);
    expect(hashes.join()).not.toContain(password);

    const users = await runCli(['user', 'list'], { cwd });
    const usersJson = await runCli(['user', 'list', '--json'], { cwd });
    const keys = await runCli(['apikey', 'list'], { cwd });
    const keysJson = await runCli(['apikey', 'list', '--json'], { cwd });
    for (const r of [users, usersJson, keys, keysJson]) {
      expect(r.code).toBe(0);
      for (const secret of [password!, 'a long enough password', ...hashes, k.key, k.key.slice(13), keyHash]) expect(r.stdout).not.toContain(secret);
      expect(r.stdout).not.toContain('scrypt');
    }
    expect(users.stdout).toMatch(/root[\s│]+admin[\s│]+no[\s│]+enabled/);
    expect((JSON.parse(usersJson.stdout) as { name: string }[]).map((u) => u.name)).toEqual(['root', 'ana']);
    expect(keys.stdout).toContain(k.prefix);
    expect(keys.stdout).toMatch(/ci-bot[\s│]+operator[\s│]+active/);

    const revoked = await runCli(['apikey', 'revoke', k.prefix], { cwd });
    expect([revoked.code, revoked.stdout.trim()]).toEqual([0, `API key ${k.prefix} "ci-bot" revoked`]);
    expect((await runCli(['apikey', 'list'], { cwd })).stdout).toMatch(/ci-bot[\s│]+operator[\s│]+revoked/);
  }, 120_000);

  it('enrols MFA with the printed secret and a real code; bad input is one line and exit 2', async () => {
    const cwd = tempCwd('ffe-auth-cli-');
    expect((await runCli(['user', 'create', 'root', '--role', 'admin'], { cwd })).code).toBe(0);
    const enrol = await runCli(['user', 'mfa', 'enroll', 'root', '--json'], { cwd });
    const { secret, otpauth_uri } = JSON.parse(enrol.stdout) as { secret: string; otpauth_uri: string };
    expect(otpauth_uri).toContain(`secret=${secret}`);
    const confirm = await runCli(['user', 'mfa', 'confirm', 'root', totpCode(secret, Date.now())], { cwd });
    expect([confirm.code, confirm.stdout.trim()]).toEqual([0, 'MFA enabled for root']);
    expect((await runCli(['user', 'list'], { cwd })).stdout).toMatch(/root[\s│]+admin[\s│]+yes/);
    expect((await runCli(['user', 'list'], { cwd })).stdout).not.toContain(secret);

    for (const [args, line] of [
      [['user', 'create', 'root', '--role', 'admin'], 'ffe: a user named "root" exists\n'],
      [['user', 'create', 'bob', '--role', 'king'], 'ffe: role: one of viewer, analyst, trader, operator, admin, auditor\n'],
      [['user', 'set-role', 'nobody', 'viewer'], 'ffe: no user named "nobody" (`ffe user list`)\n'],
      [['apikey', 'revoke', 'ffe_nothing0'], 'ffe: no API key with id or prefix "ffe_nothing0" (`ffe apikey list`)\n'],
    ] as const) {
      const r = await runCli([...args], { cwd });
      expect([r.code, r.stderr]).toEqual([2, line]);
    }
  }, 120_000);
});
