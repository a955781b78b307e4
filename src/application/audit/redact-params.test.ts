import { describe, expect, it } from 'vitest';
import { auditParams, isSecretKey, MAX_STRING } from './redact-params.js';

describe('audit parameters', () => {
  it('treats credential keys as secrets in any spelling, and ordinary keys as data', () => {
    for (const k of ['password', 'newPassword', 'token', 'refresh_token', 'secret', 'client-secret', 'api_key', 'apiKey', 'API-KEY', 'key', 'private_key', 'totp', 'totp_code', 'code', 'Authorization', 'cookie'])
      expect(isSecretKey(k), k).toBe(true);
    for (const k of ['name', 'role', 'error_code', 'exit_code', 'idempotency_key', 'asset_pair', 'stop_loss', 'keyword', 'monkey_count', 'decision_id']) expect(isSecretKey(k), k).toBe(false);
  });

  it('judges a key the same when asked again (remembered), and keys past the remembered bound still by their words', () => {
    const keys = ['apiKey', 'refresh_token', 'code', 'error_code', 'idempotency_key', 'stop_loss'];
    const first = keys.map(isSecretKey);
    expect(keys.map(isSecretKey)).toEqual(first);
    expect(first).toEqual([true, true, true, false, false, false]);
    // More distinct keys than are remembered: the later ones are judged all the same.
    for (let i = 0; i < 5000; i++) expect(isSecretKey(`field_${i}`)).toBe(false);
    expect(isSecretKey('late_secret_token')).toBe(true);
    expect(isSecretKey('late_plain_value')).toBe(false);
  });

  it('masks configured secrets wherever they appear (values, keys, URL-encoded), cuts huge strings and arrays, and keeps JSON types', () => {
    const secret = 'sk/live+abc123';
    const p = auditParams(
      {
        url: `https://x?k=${encodeURIComponent(secret)}`,
        [`by-${secret}`]: 1,
        n: 1.5,
        inf: Infinity,
        ok: true,
        none: null,
        gone: undefined,
        big: 10n,
        when: new Date(0),
        list: Array.from({ length: 150 }, (_, i) => i),
        text: 'y'.repeat(MAX_STRING + 5),
      },
      [secret],
    );
    expect(JSON.stringify(p)).not.toContain('abc123');
    expect(p).toMatchObject({ url: 'https://x?k=***', 'by-***': 1, n: 1.5, inf: 'Infinity', ok: true, none: null, big: '10', when: '1970-01-01T00:00:00.000Z' });
    expect('gone' in p).toBe(false);
    expect((p.list as unknown[]).length).toBe(101);
    expect((p.list as unknown[])[100]).toBe('…(+50 items)');
    expect(p.text).toBe(`${'y'.repeat(MAX_STRING)}…(+5 chars)`);
    expect(auditParams(undefined, [])).toEqual({});
  });
});
