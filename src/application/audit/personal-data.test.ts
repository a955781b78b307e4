import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../store/port.js';
import { pseudonymised } from './personal-data.js';

const entry = (o: Partial<AuditEntry>): AuditEntry => ({
  seq: 1,
  at: 0,
  actor: 'user:alice',
  role: 'trader',
  action: 'trade.manual',
  params: { pair: 'BTCUSD' },
  result: 'ok',
  errorCode: null,
  requestId: 'r1',
  ip: '203.0.113.7',
  prevHash: '0'.repeat(64),
  hash: 'h',
  ...o,
});

describe('pseudonymised audit entries', () => {
  it("the user's own entry: actor pseudonymised, IP removed, the rest kept", () => {
    expect(pseudonymised(entry({}), 'alice', 'erased-1')).toEqual({
      at: 0,
      actor: 'user:erased-1',
      role: 'trader',
      action: 'trade.manual',
      params: { pair: 'BTCUSD' },
      result: 'ok',
      errorCode: null,
      requestId: 'r1',
      ip: null,
    });
  });

  it("another principal's entry naming the user: the name becomes the pseudonym, the principal's own IP stays", () => {
    const e = entry({ actor: 'user:bob', action: 'user.update', params: { name: 'alice', nested: ['user:alice', 'alice smith'] } });
    expect(pseudonymised(e, 'alice', 'erased-1')).toMatchObject({ actor: 'user:bob', params: { name: 'erased-1', nested: ['user:erased-1', 'alice smith'] }, ip: '203.0.113.7' });
  });

  it('an anonymous call naming the user (a login) loses its IP; an entry not naming the user is left alone', () => {
    expect(pseudonymised(entry({ actor: 'system', action: 'auth.login', params: { name: 'alice' } }), 'alice', 'erased-1')).toMatchObject({ params: { name: 'erased-1' }, ip: null });
    expect(pseudonymised(entry({ actor: 'user:alicia', params: { name: 'bob' } }), 'alice', 'erased-1')).toBeNull();
  });
});
