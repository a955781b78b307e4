import { describe, expect, it } from 'vitest';
import { excerpt, redact, redactDeep, safeExcerpt, SecretRegistry } from './redact.js';

const KEY = 'sk-live/abc+def=123';

describe('redact', () => {
  it('masks a secret in every form it travels in: plain, URL-encoded, JSON-escaped', () => {
    expect(redact(`key ${KEY} here`, [KEY])).toBe('key *** here');
    expect(redact(`https://x/?apikey=${encodeURIComponent(KEY)}&a=1`, [KEY])).toBe('https://x/?apikey=***&a=1');
    const pem = '-----BEGIN KEY-----\nMIIabc\n-----END KEY-----';
    expect(redact(JSON.stringify({ key: pem }), [pem])).toBe('{"key":"***"}');
  });

  it('masks a secret that contains another one whole (longest first)', () => {
    expect(redact('token abcd-efgh-ijkl', ['abcd', 'abcd-efgh-ijkl'])).toBe('token ***');
  });

  it('ignores values too short to be secrets', () => {
    expect(redact('a b c 123', ['', 'a', '123'])).toBe('a b c 123');
  });
});

describe('redactDeep', () => {
  it('masks secrets inside any string of a nested value, keys and non-strings untouched', () => {
    const v = { providers: { x: { base_url: `http://h/v1?key=${KEY}`, weight: 2, tags: [`t ${KEY}`] } } };
    expect(redactDeep(v, [KEY])).toEqual({ providers: { x: { base_url: 'http://h/v1?key=***', weight: 2, tags: ['t ***'] } } });
  });
});

describe('excerpt', () => {
  it('is one line, cut with an ellipsis', () => {
    expect(excerpt('a\n  b\tc')).toBe('a b c');
    expect(excerpt('x'.repeat(10), 4)).toBe('xxxx…');
  });

  it('safeExcerpt redacts before cutting, so a cut key never escapes', () => {
    const text = `error: ${KEY}`;
    const cut = 'error: '.length + 6;
    expect(excerpt(text, cut)).toContain(KEY.slice(0, 6));
    expect(safeExcerpt(text, [KEY], cut)).toBe('error: ***');
  });
});

describe('SecretRegistry', () => {
  it('collects secrets once and masks them', () => {
    const r = new SecretRegistry();
    expect(r.redact(`x ${KEY}`)).toBe(`x ${KEY}`);
    r.add([KEY, KEY, 'ab']);
    expect(r.values).toEqual([KEY]);
    expect(r.redact(`x ${KEY}`)).toBe('x ***');
  });
});
