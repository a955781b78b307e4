import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { totpCode } from '../../src/application/auth/totp.js';
import { runCli, tempCwd } from '../support/cli.js';
import { call, startServe } from '../support/serve.js';

function storeFile(dir: string): string {
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile() && e.name.endsWith('.db')) return join(e.parentPath, e.name);
  throw new Error(`no database under ${dir}`);
}

const PASSWORD = 'alice-has-a-long-password-1'; // credential-scan: allow (a test user's password)

describe('e2e: GDPR export, erasure and encryption at rest (built CLI, real server, real store)', () => {
  it(
    'export → delete-account → export of the pseudonym holds nothing personal; audit verifies after erasure and catches tampering; key rotation round trip; tampered ciphertext and a missing or old key refused',
    { timeout: 300_000 },
    async () => {
      const cwd = tempCwd('ffe-gdpr-e2e-');
      const k1 = randomBytes(32).toString('base64');
      const k2 = randomBytes(32).toString('hex');
      const key1 = { FFE_ENCRYPTION_KEY: k1 };
      const cli = async (args: string[], env: Record<string, string> = key1, input?: string) => runCli(args, { cwd, env, input });
      const ok = async (args: string[], env?: Record<string, string>, input?: string) => {
        const r = await cli(args, env, input);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
        return r.stdout;
      };

      await ok(['user', 'create', 'alice', '--role', 'trader', '--password-stdin'], key1, `${PASSWORD}\n`);
      await ok(['user', 'mfa', 'enroll', 'alice']);
      await ok(['user', 'create', 'carol', '--role', 'viewer']);
      const enrolled = JSON.parse(await ok(['user', 'mfa', 'enroll', 'carol', '--json'])) as { secret: string };
      const adminKey = (JSON.parse(await ok(['apikey', 'create', '--name', 'dpo', '--role', 'admin', '--json'])) as { key: string }).key;
      const db = () => new Database(storeFile(cwd));
      const raw = (name: string) => {
        const d = db();
        const v = (d.prepare('select totp_secret from auth_users where name = ?').get(name) as { totp_secret: string }).totp_secret;
        d.close();
        return v;
      };
      expect(raw('carol')).toMatch(/^enc:v1:[0-9a-f]{8}:/);
      expect(raw('carol')).not.toContain(enrolled.secret);

      const s = await startServe(cwd, ['--host', '127.0.0.1', '--port', '0'], key1);
      let pseudonym = '';
      try {
        const login = await call(s.url, '/api/v1/auth/login', { method: 'POST', body: { name: 'alice', password: PASSWORD } });
        expect(login.status, JSON.stringify(login.body)).toBe(200);
        const alice = login.body.access_token as string;
        expect((await call(s.url, '/api/v1/auth/mfa/enroll', { method: 'POST', key: alice })).status).toBe(200);

        const mine = await call(s.url, '/api/v1/gdpr/export', { key: alice });
        expect(mine.status).toBe(200);
        expect(mine.body.subject.name).toBe('alice');
        expect(mine.body.sections.auth.profile).toMatchObject({ name: 'alice', role: 'trader' });
        expect(mine.body.sections.audit.map((e: { action: string }) => e.action)).toContain('auth.mfa_enroll');
        expect(JSON.stringify(mine.body)).toContain('127.0.0.1');
        expect(JSON.stringify(mine.body)).not.toMatch(/scrypt|enc:v1|totp_secret/);

        const wrong = await call(s.url, '/api/v1/gdpr/delete-account', { method: 'POST', key: alice, body: { confirm: 'alice', password: 'wrong-password-here' } });
        expect([wrong.status, wrong.body.error.code]).toEqual([403, 'GDPR_REAUTH_FAILED']);
        const notMe = await call(s.url, '/api/v1/gdpr/delete-account', { method: 'POST', key: alice, body: { confirm: 'carol', password: PASSWORD } });
        expect([notMe.status, notMe.body.error.code]).toEqual([400, 'GDPR_CONFIRM_MISMATCH']);
        const del = await call(s.url, '/api/v1/gdpr/delete-account', { method: 'POST', key: alice, body: { confirm: 'alice', password: PASSWORD } });
        expect(del.status, JSON.stringify(del.body)).toBe(200);
        expect(del.body).toMatchObject({ erased: true, pseudonym: expect.stringMatching(/^erased-[0-9a-f]{8}$/) });
        pseudonym = del.body.pseudonym as string;

        const after = await call(s.url, `/api/v1/users/${pseudonym}/export`, { key: adminKey });
        expect(after.status).toBe(200);
        const text = JSON.stringify(after.body);
        for (const personal of ['alice', '127.0.0.1', PASSWORD]) expect(text, personal).not.toContain(personal);
        expect(after.body.sections.auth.profile).toMatchObject({ name: pseudonym, disabled: true, mfa: false });
        expect((await call(s.url, '/api/v1/users/alice/export', { key: adminKey })).status).toBe(404);

        const verify = await call(s.url, '/api/v1/audit/verify', { key: adminKey });
        expect(verify.body).toMatchObject({ ok: true });
        const log = await call(s.url, '/api/v1/audit?limit=500', { key: adminKey });
        expect(JSON.stringify(log.body)).not.toContain('alice');
        expect(JSON.stringify(log.body)).not.toContain('127.0.0.1');
        expect(log.body.entries[0]).toMatchObject({ action: 'gdpr.erase', actor: `user:${pseudonym}`, ip: null });
        expect((await call(s.url, '/api/v1/auth/login', { method: 'POST', body: { name: 'alice', password: PASSWORD } })).status).toBe(401);
      } finally {
        s.child.kill('SIGTERM');
        await s.exited;
      }

      // Tampering after the erasure: a pseudonymised entry changed is found; restored, the chain verifies again.
      expect(await ok(['audit', 'verify'])).toMatch(/^audit log OK: \d+ entries verified\n$/);
      const d = db();
      const target = d.prepare("select seq, action from audit_log where actor = ? and action <> 'gdpr.erase' order by seq limit 1").get(`user:${pseudonym}`) as { seq: number; action: string };
      d.prepare("update audit_log set action = 'bot.start' where seq = ?").run(target.seq);
      const broken = await cli(['audit', 'verify']);
      expect(broken.code).toBe(1);
      expect(broken.stderr).toContain(`audit log broken at entry ${target.seq}: altered`);
      d.prepare('update audit_log set action = ? where seq = ?').run(target.action, target.seq);
      d.close();
      expect((await cli(['audit', 'verify'])).code).toBe(0);

      // The admin's CLI: erase needs --yes; export writes a file readable by its owner only.
      const unconfirmed = await cli(['user', 'erase', 'carol']);
      expect([unconfirmed.code, unconfirmed.stderr]).toEqual([2, 'ffe: erasing "carol" cannot be undone: pass --yes to confirm\n']);
      const out = join(cwd, 'export.json');
      expect(await ok(['user', 'export', pseudonym, '--out', out])).toContain(`export of ${pseudonym} written to ${out}`);
      expect(statSync(out).mode & 0o777).toBe(0o600);
      expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ subject: { name: pseudonym }, sections: { auth: { profile: { disabled: true } } } });
      expect(readFileSync(out, 'utf8')).not.toContain('alice');

      // Missing key with encrypted data: one clear line naming the variable, exit 2.
      const missing = await cli(['user', 'list'], {});
      expect(missing.code).toBe(2);
      expect(missing.stderr.trim().split('\n')).toHaveLength(1);
      expect(missing.stderr).toContain('FFE_ENCRYPTION_KEY is not set');

      // Rotation: k1 → k2; the old key alone is refused, the data reads back with the new one.
      const rotated = await ok(['keys', 'rotate', '--json'], { FFE_ENCRYPTION_KEY: k2, FFE_ENCRYPTION_KEY_PREVIOUS: k1 });
      expect(JSON.parse(rotated)).toMatchObject({
        resealed: 1,
        columns: [
          { field: 'auth_users.totp_secret', resealed: 1, already_current: 0 },
          { field: 'recommendations.feedback_note', resealed: 0, already_current: 0 },
        ],
      });
      const old = await cli(['user', 'list'], key1);
      expect(old.code).toBe(2);
      expect(old.stderr).toMatch(/cannot be opened: FFE_ENCRYPTION_KEY is key [0-9a-f]{8}/);
      expect(old.stderr).not.toContain(k1);
      const key2 = { FFE_ENCRYPTION_KEY: k2 };

      // Tampered ciphertext: one flipped byte is refused with a clear error; the untouched value opens with the new key.
      const sealed = raw('carol');
      const parts = sealed.split(':');
      const ct = Buffer.from(parts[4], 'base64url');
      ct[0] ^= 0x01;
      parts[4] = ct.toString('base64url');
      const t = db();
      t.prepare("update auth_users set totp_secret = ? where name = 'carol'").run(parts.join(':'));
      const refused = await cli(['user', 'mfa', 'confirm', 'carol', totpCode(enrolled.secret, Date.now())], key2);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('auth_users.totp_secret fails authentication');
      t.prepare("update auth_users set totp_secret = ? where name = 'carol'").run(sealed);
      t.close();
      expect(await ok(['user', 'mfa', 'confirm', 'carol', totpCode(enrolled.secret, Date.now())], key2)).toContain('MFA enabled for carol');
    },
  );
});
