import { describe, expect, it } from 'vitest';
import { isFfeError } from '../../core/errors.js';
import { sha256 } from './random.js';
import { newRefreshToken, signAccessToken, verifyAccessToken } from './tokens.js';

const key = new TextEncoder().encode('k'.repeat(64));
const alice = { kind: 'user' as const, id: 'u1', name: 'alice', role: 'trader' as const };
const T = Date.UTC(2030, 0, 1);
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (isFfeError(e) ? e.code : String(e)),
  );

describe('access tokens (HS256 JWT)', () => {
  it('verifies to the principal until expiry, then AUTH_EXPIRED', async () => {
    const jwt = await signAccessToken(key, alice, T, 900);
    expect(await verifyAccessToken(key, jwt, T + 899_000)).toEqual(alice);
    expect(await codeOf(verifyAccessToken(key, jwt, T + 900_000))).toBe('AUTH_EXPIRED');
  });

  it('refuses another key, a tampered payload and garbage as AUTH_INVALID', async () => {
    const jwt = await signAccessToken(key, alice, T, 900);
    expect(await codeOf(verifyAccessToken(new TextEncoder().encode('x'.repeat(64)), jwt, T))).toBe('AUTH_INVALID');
    const [h, , s] = jwt.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'u1', name: 'alice', role: 'admin', iss: 'ffe', aud: 'ffe-api', exp: T / 1000 + 900 })).toString('base64url');
    expect(await codeOf(verifyAccessToken(key, `${h}.${forged}.${s}`, T))).toBe('AUTH_INVALID');
    expect(await codeOf(verifyAccessToken(key, 'not.a.jwt', T))).toBe('AUTH_INVALID');
  });
});

describe('refresh tokens', () => {
  it('refresh tokens are random and stored as their sha256', () => {
    const a = newRefreshToken();
    expect(a.hash).toBe(sha256(a.token));
    expect(a.token.length).toBeGreaterThanOrEqual(48);
    expect(newRefreshToken().token).not.toBe(a.token);
  });
});
