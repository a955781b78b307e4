import { describe, expect, it } from 'vitest';
import { auditFiltersError, auditQuery, isLastAdmin, NO_FILTERS, nameError, paramsSummary, sortKeys, sortUsers, utcInputToIso, verifyStatus, type ApiKey, type User } from './shape';

const user = (name: string, role: User['role'], disabled = false): User => ({ id: name, name, role, mfa: false, disabled, created_at: '2026-12-01T00:00:00.000Z', updated_at: '2026-12-01T00:00:00.000Z' });
const key = (name: string, created: string, revoked: string | null = null): ApiKey => ({
  id: name,
  name,
  role: 'viewer',
  prefix: `ffe_${name}`,
  created_by: 'root',
  created_at: created,
  last_used_at: null,
  revoked_at: revoked,
});

describe('admin page shaping', () => {
  it('reads datetime-local values as UTC, the end of a range inclusive of its minute, and refuses garbage', () => {
    expect(utcInputToIso('2026-12-06T05:40')).toBe('2026-12-06T05:40:00.000Z');
    expect(utcInputToIso('2026-12-06T05:40', true)).toBe('2026-12-06T05:40:59.999Z');
    expect(utcInputToIso('2026-12-06', true)).toBe('2026-12-06T23:59:59.999Z');
    expect(utcInputToIso('')).toBeUndefined();
    expect(utcInputToIso('soon')).toBeUndefined();
  });

  it('builds the audit query from the filters, leaving empty ones out', () => {
    expect(auditQuery(NO_FILTERS)).toEqual({ limit: 50, cursor: undefined, action: undefined, actor: undefined, from: undefined, to: undefined });
    expect(auditQuery({ action: ' user.create ', actor: 'root', from: '2026-12-01T00:00', to: '' }, 'c1', 20)).toEqual({
      limit: 20,
      cursor: 'c1',
      action: 'user.create',
      actor: 'root',
      from: '2026-12-01T00:00:00.000Z',
      to: undefined,
    });
  });

  it('validates the filters: dates must parse and from must not be after to', () => {
    expect(auditFiltersError(NO_FILTERS)).toBeNull();
    expect(auditFiltersError({ ...NO_FILTERS, from: 'x' })).toBe('From is not a date and time');
    expect(auditFiltersError({ ...NO_FILTERS, from: '2026-12-02T00:00', to: '2026-12-01T00:00' })).toBe('From is after To');
    expect(auditFiltersError({ ...NO_FILTERS, from: '2026-12-01T00:00', to: '2026-12-01T00:00' })).toBeNull();
  });

  it('states the verification: intact with the count, or the first broken entry and why', () => {
    expect(verifyStatus({ ok: true, checked: 12, from_seq: 1 })).toEqual({ tone: 'ok', label: 'Chain intact', detail: '12 entries verified from #1' });
    expect(verifyStatus({ ok: true, checked: 1, from_seq: 5 }).detail).toBe('1 entry verified from #5');
    expect(verifyStatus({ ok: false, checked: 7, from_seq: 1, first_problem: { seq: 4, problem: 'altered', detail: 'hash mismatch' } })).toEqual({
      tone: 'bad',
      label: 'Chain broken at #4',
      detail: 'entry altered: hash mismatch',
    });
    expect(verifyStatus({ ok: false, checked: 3, from_seq: 1 }).label).toBe('Chain broken');
  });

  it('summarises parameters as key=value, shortening long values and counting the rest', () => {
    expect(paramsSummary({})).toBe('—');
    expect(paramsSummary({ name: 'ann', role: 'admin' })).toBe('name=ann role=admin');
    expect(paramsSummary({ a: 1, b: true, c: null, d: { x: 1 }, e: 'x' }, 4)).toBe('a=1 b=true c=null d={"x":1} +1');
    expect(paramsSummary({ long: 'y'.repeat(100) })).toBe(`long=${'y'.repeat(39)}…`);
  });

  it('checks names like the server (trimmed, 1 to 64 characters)', () => {
    expect(nameError('  ')).toBe('Name is required');
    expect(nameError('x'.repeat(65))).toBe('Name is at most 64 characters');
    expect(nameError(' ann ')).toBeNull();
  });

  it('sorts users enabled first by name, keys active first newest first', () => {
    expect(sortUsers([user('zed', 'viewer'), user('bob', 'admin', true), user('ann', 'trader')]).map((u) => u.name)).toEqual(['ann', 'zed', 'bob']);
    expect(sortKeys([key('old', '2026-01-01'), key('gone', '2026-06-01', '2026-07-01'), key('new', '2026-05-01')]).map((k) => k.name)).toEqual(['new', 'old', 'gone']);
  });

  it('knows the last enabled admin (the server refuses to demote or disable it)', () => {
    const root = user('root', 'admin');
    expect(isLastAdmin(root, [root, user('off', 'admin', true), user('v', 'viewer')])).toBe(true);
    expect(isLastAdmin(root, [root, user('second', 'admin')])).toBe(false);
    expect(isLastAdmin(user('v', 'viewer'), [root])).toBe(false);
  });
});
