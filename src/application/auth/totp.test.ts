import { describe, expect, it } from 'vitest';
import { newTotpSecret, otpauthUri, totpCode, totpStep } from './totp.js';

const T = Date.UTC(2030, 0, 1, 0, 0, 15);

describe('TOTP (RFC 6238)', () => {
  it('accepts the current code and those one step either side; refuses two steps off and malformed codes', () => {
    const s = newTotpSecret();
    const step = Math.floor(T / 30_000);
    expect(totpStep(s, totpCode(s, T), T)).toBe(step);
    expect(totpStep(s, totpCode(s, T - 30_000), T)).toBe(step - 1);
    expect(totpStep(s, totpCode(s, T + 30_000), T)).toBe(step + 1);
    expect(totpStep(s, totpCode(s, T - 60_000), T)).toBeNull();
    expect(totpStep(s, 'abcdef', T)).toBeNull();
    expect(totpStep(s, '', T)).toBeNull();
  });

  it('matches the RFC 6238 SHA-1 test vector', () => {
    // RFC 6238 appendix B: secret "12345678901234567890", T=59 s → 94287082 (8 digits); the 6-digit code is its last 6.
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    expect(totpCode(secret, 59_000)).toBe('287082');
  });

  it('builds an otpauth URI naming the user and carrying the secret', () => {
    const s = newTotpSecret();
    expect(s).toMatch(/^[A-Z2-7]{32}$/);
    const uri = otpauthUri(s, 'alice');
    expect(uri).toMatch(/^otpauth:\/\/totp\/.*alice\?/);
    expect(uri).toContain(`secret=${s}`);
  });
});
