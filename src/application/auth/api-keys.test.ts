import { describe, expect, it } from 'vitest';
import { API_KEY_PATTERN, newApiKey, normalizePrefix } from './api-keys.js';
import { sha256 } from './random.js';

describe('API keys', () => {
  it('an API key has the documented shape; only its hash and visible prefix are kept', () => {
    const k = newApiKey();
    expect(k.key).toMatch(API_KEY_PATTERN);
    expect(k.key.startsWith(`${k.prefix}_`)).toBe(true);
    expect(k.prefix).toMatch(/^ffe_[A-Za-z0-9]{8}$/);
    expect(k.hash).toBe(sha256(k.key));
    expect(k.hash).not.toContain(k.key.slice(13));
    expect(newApiKey().key).not.toBe(k.key);
    expect(normalizePrefix('ab12cd34')).toBe('ffe_ab12cd34');
    expect(normalizePrefix('01JABC')).toBe('01JABC');
  });
});
