import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { configHome } from '../../../test/support/config-home.js';
import { ManualClock } from '../../core/clock.js';
import { isFfeError } from '../../core/errors.js';
import { recommendationRecord } from '../../../test/contract/store/investor.contract.js';
import { FfeApi } from '../api.js';
import { LOCAL_OPERATOR, type Principal } from '../auth/principal.js';

const T0 = Date.UTC(2030, 0, 1, 12);
const PASSWORD = 'correct horse battery staple';
const opened: FfeApi[] = [];
afterEach(async () => {
  while (opened.length) await opened.pop()!.close();
});

async function open(env: Record<string, string> = {}, home = configHome('', 'ffe-gdpr-')) {
  const api = await FfeApi.open({ cwd: home.cwd, env: { ...home.env, ...env }, clock: new ManualClock(T0) });
  opened.push(api);
  return { api, home };
}

const errOf = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => (isFfeError(e) ? e : Promise.reject(e)),
  );

/** Alice (a trader with MFA pending, an API key she created, a job, audit entries from her IP) and Bob the admin. */
async function populate(api: FfeApi) {
  const bob = (await api.auth.createUser({ name: 'bob', role: 'admin', password: PASSWORD }, LOCAL_OPERATOR)).user;
  const alice = (await api.auth.createUser({ name: 'alice', role: 'trader', password: PASSWORD }, LOCAL_OPERATOR)).user;
  const asAlice: Principal = { kind: 'user', id: alice.id, name: 'alice', role: 'admin' };
  await api.auth.enrollMfa('alice');
  await api.auth.login({ name: 'alice', password: PASSWORD });
  await api.auth.createApiKey({ name: 'trading-bot', role: 'viewer' }, asAlice);
  await api.audit.record({ principal: { ...asAlice, role: 'trader' }, action: 'trade.manual', params: { pair: 'BTCUSD', note: 'alice' }, result: 'ok', ip: '203.0.113.77' });
  await api.audit.record({ principal: { kind: 'user', id: bob.id, name: 'bob', role: 'admin' }, action: 'user.update', params: { name: 'alice', role: 'trader' }, result: 'ok', ip: '198.51.100.1' });
  return { alice: { ...alice, role: 'trader' as const, kind: 'user' as const }, bob: { ...bob, kind: 'user' as const } };
}

describe('GDPR export and erasure', () => {
  it('export shows profile, keys, sessions, audit entries and no secrets; delete-account pseudonymises everything; the audit chain still verifies', async () => {
    const { api } = await open();
    const { alice } = await populate(api);
    const doc = await api.gdpr.exportOwn(alice);
    const text = JSON.stringify(doc);
    expect(doc.subject).toEqual({ id: alice.id, name: 'alice' });
    expect(Object.keys(doc.sections)).toEqual(expect.arrayContaining(['auth', 'audit', 'backtest_jobs']));
    const auth = doc.sections.auth as { profile: { name: string; mfa_pending: boolean }; api_keys_created: { name: string }[]; sessions: unknown[] };
    expect(auth.profile).toMatchObject({ name: 'alice', role: 'trader', mfa_pending: true });
    expect(auth.api_keys_created.map((k) => k.name)).toEqual(['trading-bot']);
    expect(auth.sessions).toHaveLength(1);
    expect((doc.sections.audit as { action: string; ip: string }[]).map((e) => [e.action, e.ip])).toEqual([['trade.manual', '203.0.113.77']]);
    expect(text).not.toMatch(/scrypt|totp_secret|"hash"/);

    const wrong = await errOf(api.gdpr.deleteAccount({ confirm: 'alice', password: 'not the password' }, alice));
    expect([wrong?.code, wrong?.httpStatus]).toEqual(['GDPR_REAUTH_FAILED', 403]);
    expect((await errOf(api.gdpr.deleteAccount({ confirm: 'bob', password: PASSWORD }, alice)))?.code).toBe('GDPR_CONFIRM_MISMATCH');
    expect((await api.auth.listUsers()).map((u) => u.name)).toContain('alice');

    const r = await api.gdpr.deleteAccount({ confirm: 'alice', password: PASSWORD }, alice);
    expect(r.pseudonym).toMatch(/^erased-[0-9a-f]{8}$/);
    expect(r.records).toBeGreaterThanOrEqual(4);
    const after = JSON.stringify(await api.gdpr.exportUser(r.pseudonym, LOCAL_OPERATOR));
    for (const personal of ['alice', '203.0.113.77']) expect(after).not.toContain(personal);
    expect(await api.audit.verify()).toMatchObject({ ok: true });
    const log = JSON.stringify(await api.audit.list({ limit: 500 }));
    expect(log).not.toContain('alice');
    expect(log).not.toContain('203.0.113.77');
    expect(log).toContain('198.51.100.1');
    const erasure = (await api.audit.list({ action: 'gdpr.erase' })).entries[0];
    expect(erasure).toMatchObject({ actor: `user:${r.pseudonym}`, ip: null, params: { pseudonym: r.pseudonym, records: r.records, audit_entries_pseudonymised: 2 } });
    expect((await api.auth.listUsers()).find((u) => u.id === alice.id)).toMatchObject({ name: r.pseudonym, disabled: true, mfa: false });
    expect((await errOf(api.auth.login({ name: r.pseudonym, password: PASSWORD })))?.code).toBe('LOGIN_FAILED');
    expect((await errOf(api.gdpr.eraseUser(r.pseudonym, LOCAL_OPERATOR)))?.code).toBe('GDPR_ALREADY_ERASED');
  });

  it('after an erasure, changing a pseudonymised entry, its rewrite record or the erasure entry is detected', async () => {
    const { api } = await open();
    const { alice } = await populate(api);
    const r = await api.gdpr.eraseUser('alice', LOCAL_OPERATOR);
    expect(await api.audit.verify()).toMatchObject({ ok: true });
    const db = (api.runtime.app.store as unknown as { session: { db: { executeQuery(q: unknown): Promise<unknown> } } }).session.db;
    const { sql } = await import('kysely');
    const run = (q: ReturnType<typeof sql>) => q.execute(db as never);
    const seqs = (await api.audit.list({ limit: 500 })).entries;
    const rewritten = seqs.find((e) => e.action === 'trade.manual')!;
    await run(sql`update audit_log set action = 'trade.cancelled' where seq = ${rewritten.seq}`);
    expect(await api.audit.verify()).toMatchObject({ ok: false, first_problem: { seq: rewritten.seq, problem: 'altered' } });
    await run(sql`update audit_log set action = 'trade.manual' where seq = ${rewritten.seq}`);
    expect((await api.audit.verify()).ok).toBe(true);
    const erasure = seqs.find((e) => e.action === 'gdpr.erase')!;
    await run(sql`delete from audit_rewrites where seq = ${rewritten.seq}`);
    expect(await api.audit.verify()).toMatchObject({ ok: false, first_problem: { seq: rewritten.seq, problem: 'altered' } });
    await run(sql`insert into audit_rewrites (seq, erasure, head_seq, content_hash) values (${rewritten.seq}, ${r.pseudonym}, ${erasure.seq - 1}, ${'0'.repeat(64)})`);
    expect(await api.audit.verify()).toMatchObject({ ok: false, first_problem: { seq: rewritten.seq, problem: 'altered' } });
    // A forged rewrite record matching forged content still fails: the erasure entry's digest vouches for the originals.
    await run(sql`update audit_log set action = 'trade.cancelled' where seq = ${rewritten.seq}`);
    const forged = await api.audit.list({ action: 'trade.cancelled' });
    const { entryHash } = await import('../../store/audit-chain.js');
    const e = forged.entries[0];
    const content = entryHash(e.prev_hash, e.seq, { at: Date.parse(e.at), actor: e.actor, role: e.role, action: e.action, params: e.params, result: e.result, errorCode: e.error_code, requestId: e.request_id, ip: e.ip });
    await run(sql`update audit_rewrites set content_hash = ${content} where seq = ${rewritten.seq}`);
    expect(await api.audit.verify()).toMatchObject({ ok: false, first_problem: { seq: erasure.seq, problem: 'altered' } });
    expect(alice.id).toBeTruthy();
  });

  it('rotation: plain TOTP secrets and feedback notes get sealed when a key is first set; a new key re-seals them; the old key alone is then refused', async () => {
    const home = configHome('', 'ffe-gdpr-keys-');
    const k1 = randomBytes(32).toString('base64');
    const k2 = randomBytes(32).toString('hex');
    const first = await open({}, home);
    await populate(first.api);
    const note = 'bought half, my own note';
    await first.api.runtime.app.store.investor.addRecommendations([recommendationRecord('rec-note', { feedback: { useful: true, acted: true, note, at: T0 } })]);
    const secret = (await first.api.runtime.app.store.auth.userByName('alice'))!.totpSecret;
    await first.api.close();
    opened.length = 0;

    const withKey = await open({ FFE_ENCRYPTION_KEY: k1 }, home);
    const r1 = await withKey.api.gdpr.rotateKeys({ FFE_ENCRYPTION_KEY: k1 });
    expect(r1.columns).toEqual([
      { field: 'auth_users.totp_secret', resealed: 1, already_current: 0 },
      { field: 'recommendations.feedback_note', resealed: 1, already_current: 0 },
    ]);
    // Stored sealed, read back as written.
    const raw = await withKey.api.runtime.app.store.sealed.values({ table: 'recommendations', column: 'feedback_note', key: 'id' });
    expect(raw.map((v) => v.value.startsWith('enc:v1:'))).toEqual([true]);
    expect((await withKey.api.runtime.app.store.investor.recommendation('rec-note'))!.feedback!.note).toBe(note);
    await withKey.api.close();
    opened.length = 0;
    expect((await errOf(open({}, home)))?.code).toBe('ENCRYPTION_KEY_MISSING');

    const rotating = await open({ FFE_ENCRYPTION_KEY: k2, FFE_ENCRYPTION_KEY_PREVIOUS: k1 }, home);
    const r2 = await rotating.api.gdpr.rotateKeys({ FFE_ENCRYPTION_KEY: k2, FFE_ENCRYPTION_KEY_PREVIOUS: k1 });
    expect(r2.resealed).toBe(2);
    expect(r2.key_id).not.toBe(r1.key_id);
    await rotating.api.close();
    opened.length = 0;

    const old = await errOf(open({ FFE_ENCRYPTION_KEY: k1 }, home));
    expect(old?.code).toBe('ENCRYPTION_KEY_WRONG');
    expect(old?.message).not.toContain(k1);
    const now = await open({ FFE_ENCRYPTION_KEY: k2 }, home);
    expect((await now.api.runtime.app.store.auth.userByName('alice'))!.totpSecret).toBe(secret);
    expect((await now.api.runtime.app.store.investor.recommendation('rec-note'))!.feedback!.note).toBe(note);
  });
});
