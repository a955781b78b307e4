import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { configHome } from '../../../test/support/config-home.js';
import { ManualClock } from '../../core/clock.js';
import { FfeApi } from '../api.js';
import type { Principal } from '../auth/principal.js';

/** One 60 %-of-equity ETHUSD position passes these limits (the offline sample makes ETHUSD a SELL). */
const RISK = `
risk:
  max_concentration: 0.9
  max_leverage: 1
  var_limit: 0.9
`;
const SECRET = 'av-Sup3rSecretKey-0042';
const ALICE: Principal = { kind: 'user', id: 'u1', name: 'alice', role: 'trader' };
const DAY = 86_400_000;

const opened: FfeApi[] = [];
afterEach(async () => {
  while (opened.length) await opened.pop()!.close();
});

async function open(config = RISK, clock?: ManualClock): Promise<FfeApi> {
  const home = configHome(config, 'ffe-audit-');
  const api = await FfeApi.open({ ...home, env: { ...home.env, ALPHA_VANTAGE_API_KEY: SECRET }, clock });
  opened.push(api);
  return api;
}

/** The database file as someone with file access sees it (and tampers with it). */
const raw = (api: FfeApi) => new Database(api.runtime.app.store.location);

async function fill(api: FfeApi, n: number) {
  for (let i = 1; i <= n; i++) await api.audit.record({ principal: ALICE, action: 'bot.start', params: { i }, result: 'ok', requestId: `r${i}`, ip: '10.0.0.1' });
}

describe('audit log: tamper evidence on a real SQLite file', () => {
  it('an intact log verifies, counting every entry', async () => {
    const api = await open();
    await fill(api, 5);
    expect(await api.audit.verify()).toEqual({ ok: true, checked: 5, from_seq: 0 });
  });

  it('a row whose params were edited in SQLite is named altered at its seq', async () => {
    const api = await open();
    await fill(api, 5);
    const db = raw(api);
    db.prepare('UPDATE audit_log SET params = ? WHERE seq = 3').run(JSON.stringify({ i: 300 }));
    db.close();
    const v = await api.audit.verify();
    expect(v).toMatchObject({ ok: false, checked: 2, first_problem: { seq: 3, problem: 'altered' } });
    expect(v.first_problem!.detail).toMatch(/entry 3 \(bot\.start\)/);
  });

  it('an edited actor or result is altered too', async () => {
    const api = await open();
    await fill(api, 3);
    const db = raw(api);
    db.prepare("UPDATE audit_log SET result = 'denied' WHERE seq = 2").run();
    db.close();
    expect((await api.audit.verify()).first_problem).toMatchObject({ seq: 2, problem: 'altered' });
  });

  it('a deleted row is named missing after the previous seq; deleting the newest rows shows against the head', async () => {
    const api = await open();
    await fill(api, 5);
    const db = raw(api);
    db.prepare('DELETE FROM audit_log WHERE seq = 3').run();
    let v = await api.audit.verify();
    expect(v).toMatchObject({ ok: false, checked: 2, first_problem: { seq: 3, problem: 'missing' } });
    expect(v.first_problem!.detail).toBe('entry 3 is missing (after entry 2)');
    db.prepare('DELETE FROM audit_log WHERE seq >= 4').run();
    db.close();
    v = await api.audit.verify();
    expect(v.first_problem).toMatchObject({ seq: 3, problem: 'missing' });
    expect(v.first_problem!.detail).toMatch(/entries 3–5 are missing \(the log ends at 2; 5 was appended\)/);
  });

  it('two rows swapped (renumbered, each keeping its own hash): the seq is hashed, so the first moved row is altered', async () => {
    const api = await open();
    await fill(api, 4);
    const db = raw(api);
    db.exec('UPDATE audit_log SET seq = 100 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = 100;');
    db.close();
    // The seq is hashed: the moved row no longer matches its hash.
    expect((await api.audit.verify()).first_problem).toMatchObject({ seq: 2, problem: 'altered' });
  });

  it('a row rewritten with a recomputed hash breaks the link of the next one: reordered', async () => {
    const { entryHash } = await import('../../store/audit-chain.js');
    const api = await open();
    await fill(api, 3);
    const [e2] = (await api.audit.list({ limit: 1, cursor: (await api.audit.list({ limit: 1 })).next_cursor! })).entries;
    const forged = { at: Date.parse(e2.at), actor: e2.actor, role: 'admin', action: e2.action, params: e2.params, result: e2.result, errorCode: null, requestId: e2.request_id, ip: e2.ip };
    const db = raw(api);
    db.prepare("UPDATE audit_log SET role = 'admin', hash = ? WHERE seq = 2").run(entryHash(e2.prev_hash, 2, forged));
    db.close();
    expect((await api.audit.verify()).first_problem).toMatchObject({ seq: 3, problem: 'reordered' });
  });

  it('prune drops entries past audit.retention_days, records the prune, and verify is ok from the checkpoint', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const api = await open(`${RISK}\naudit:\n  retention_days: 30\n`, clock);
    await fill(api, 3);
    clock.set(Date.UTC(2026, 2, 1));
    await fill(api, 2);
    const r = await api.audit.prune();
    expect(r).toEqual({ pruned: 3, before: new Date(Date.UTC(2026, 2, 1) - 30 * DAY).toISOString(), checkpoint_seq: 3 });
    const { entries } = await api.audit.list();
    expect(entries.map((e) => [e.seq, e.action])).toEqual([
      [6, 'audit.prune'],
      [5, 'bot.start'],
      [4, 'bot.start'],
    ]);
    expect(await api.audit.verify()).toEqual({ ok: true, checked: 3, from_seq: 3 });
    // Deleting the first entry after the checkpoint is still caught.
    const db = raw(api);
    db.prepare('DELETE FROM audit_log WHERE seq = 4').run();
    db.close();
    expect((await api.audit.verify()).first_problem).toMatchObject({ seq: 4, problem: 'missing' });
  });

  it('the default retention is 2557 days', async () => {
    const api = await open();
    expect(api.runtime.app.config.audit.retention_days).toBe(2557);
    await fill(api, 1);
    expect((await api.audit.prune()).pruned).toBe(0);
  });
});

describe('audit log: what an entry holds', () => {
  it('a configured secret and password / token / api_key / totp values are never stored; huge strings are cut', async () => {
    const api = await open();
    expect(api.secrets).toContain(SECRET);
    await api.audit.record({
      principal: ALICE,
      action: 'user.create',
      params: {
        name: 'bob',
        password: 'hunter2-long-password',
        nested: { apiKey: 'k-123456', token: 'tok-9999', totp: '123456', code: '654321', note: `uses ${SECRET} inside` },
        headers: { Authorization: 'Bearer abcdefgh' },
        blob: 'x'.repeat(5000),
        error_code: 'X',
      },
      result: 'ok',
    });
    const db = raw(api);
    const stored = db.prepare('SELECT * FROM audit_log').all();
    db.close();
    const text = JSON.stringify(stored);
    for (const s of [SECRET, 'hunter2-long-password', 'k-123456', 'tok-9999', '123456', '654321', 'abcdefgh']) expect(text).not.toContain(s);
    const [e] = (await api.audit.list()).entries;
    expect(e).toMatchObject({ actor: 'user:alice', role: 'trader', action: 'user.create', result: 'ok', error_code: null });
    expect(e.params).toMatchObject({ name: 'bob', password: '***', nested: { apiKey: '***', token: '***', totp: '***', code: '***', note: 'uses *** inside' }, headers: { Authorization: '***' }, error_code: 'X' });
    expect((e.params.blob as string).length).toBeLessThan(1100);
    expect(e.params.blob).toMatch(/…\(\+4000 chars\)$/);
    expect(await api.audit.verify()).toMatchObject({ ok: true, checked: 1 });
  });

  it('list pages newest first with an opaque cursor and filters by action, actor and time; bad input names the field', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const api = await open(RISK, clock);
    for (let i = 0; i < 5; i++) {
      await api.audit.record({ actor: i % 2 ? 'agent' : 'system', action: i % 2 ? 'order.submitted' : 'bot.start', params: { i }, result: 'ok' });
      clock.set(clock.now() + DAY);
    }
    const p1 = await api.audit.list({ limit: 2 });
    expect(p1.entries.map((e) => e.seq)).toEqual([5, 4]);
    const p2 = await api.audit.list({ limit: 2, cursor: p1.next_cursor! });
    expect(p2.entries.map((e) => e.seq)).toEqual([3, 2]);
    const p3 = await api.audit.list({ limit: 2, cursor: p2.next_cursor! });
    expect(p3).toMatchObject({ next_cursor: null });
    expect(p3.entries.map((e) => e.seq)).toEqual([1]);
    expect((await api.audit.list({ action: 'order.submitted' })).entries.map((e) => e.seq)).toEqual([4, 2]);
    expect((await api.audit.list({ actor: 'agent' })).entries.map((e) => e.role)).toEqual(['agent', 'agent']);
    expect((await api.audit.list({ from: '2026-01-02T00:00:00Z', to: String(Date.UTC(2026, 0, 3)) })).entries.map((e) => e.seq)).toEqual([3, 2]);
    await expect(api.audit.list({ cursor: 'garbage' })).rejects.toMatchObject({ code: 'CURSOR_INVALID', exitCode: 2 });
    await expect(api.audit.list({ from: 'yesterday' })).rejects.toThrow(/^from: not a date/);
    await expect(api.audit.list({ limit: 0 })).rejects.toMatchObject({ code: 'LIMIT_INVALID' });
  });
});

describe('audit log: every order and halt, whoever caused it', () => {
  it('a paper order through the use cases: the call as the local operator, its orders from the domain events; a close too', async () => {
    const api = await open();
    api.audit.followDomainEvents();
    const { decision } = await api.trading.analyze('ETHUSD');
    expect((await api.trading.execute(decision.id)).status).toBe('filled');
    const [pos] = (await api.trading.positions()).positions;
    await api.trading.close(pos.id, { principal: ALICE });
    await api.runtime.settled();
    const entries = (await api.audit.list()).entries.reverse();
    expect(entries.map((e) => [e.action, e.actor])).toEqual([
      ['order.submitted', 'agent'],
      ['order.filled', 'agent'],
      ['decision.execute', 'local:local-cli'],
      ['order.submitted', 'agent'],
      ['order.filled', 'agent'],
      ['position.close', 'user:alice'],
    ]);
    expect(entries[0].params).toMatchObject({ decisionId: decision.id, pair: 'ETHUSD', side: 'sell', leg: 'open' });
    expect(entries[2]).toMatchObject({ role: 'admin', result: 'ok', params: { decision_id: decision.id, live: false } });
    expect(entries[5]).toMatchObject({ role: 'trader', params: { position_id: pos.id } });
    expect(await api.audit.verify()).toMatchObject({ ok: true, checked: 6 });
  });

  it('the entries of events a store transaction appends commit with it, before anything runs after it', async () => {
    const api = await open();
    api.audit.followDomainEvents();
    const store = api.runtime.app.store;
    // What the file holds the moment the events are published (their transaction just committed).
    const file = raw(api);
    const seen: number[] = [];
    api.runtime.events.subscribe(() => seen.push((file.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n));
    await store.transaction(async (tx) => {
      await tx.events.append({ type: 'KillSwitchTripped', at: 5, payload: { by: 'ops', reason: 'x' } });
      await tx.events.append({ type: 'GateDenied', at: 6, payload: {} });
    });
    file.close();
    expect(seen).toEqual([1, 1]);
    expect((await store.audit.list({ limit: 10 })).map((e) => [e.action, e.actor, e.at])).toEqual([['kill_switch.tripped', 'ops', 5]]);
    await api.runtime.settled();
    expect(await api.audit.verify()).toMatchObject({ ok: true, checked: 1 });
  });

  it('an emergency stop: the call and the kill switch trip; an execute refused by it is denied with its code; the clear is recorded', async () => {
    const api = await open();
    api.audit.followDomainEvents();
    const { decision } = await api.trading.analyze('ETHUSD');
    await api.agent.emergencyStop('ops-oncall', 'market halt');
    await expect(api.trading.execute(decision.id)).rejects.toMatchObject({ code: 'KILL_SWITCH_TRIPPED' });
    await api.agent.clearKillSwitch('ops-oncall', 'resolved', ALICE);
    await expect(api.agent.clearKillSwitch('ops-oncall', 'again')).rejects.toMatchObject({ code: 'KILL_SWITCH_NOT_TRIPPED' });
    await api.runtime.settled();
    const entries = (await api.audit.list()).entries.reverse();
    expect(entries.map((e) => [e.action, e.actor, e.result, e.error_code])).toEqual([
      ['kill_switch.tripped', 'ops-oncall', 'ok', null],
      ['bot.emergency_stop', 'local:local-cli', 'ok', null],
      ['decision.execute', 'local:local-cli', 'denied', 'KILL_SWITCH_TRIPPED'],
      ['kill_switch.clear', 'user:alice', 'ok', null],
      ['kill_switch.clear', 'local:local-cli', 'error', 'KILL_SWITCH_NOT_TRIPPED'],
    ]);
    expect(entries[1].params).toEqual({ by: 'ops-oncall', reason: 'market halt', close_positions: false });
  });
});
