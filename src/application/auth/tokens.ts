import { errors, jwtVerify, SignJWT } from 'jose';
import { inputError } from '../../core/errors.js';
import type { Principal } from './principal.js';
import { randomBase62, sha256 } from './random.js';
import { isRole } from './roles.js';

const ISSUER = 'ffe';
const AUDIENCE = 'ffe-api';

/** A short-lived HS256 access token for a logged-in user: who (sub, name) and what role. */
export async function signAccessToken(secret: Uint8Array, p: Principal, nowMs: number, ttlSeconds: number): Promise<string> {
  const iat = Math.floor(nowMs / 1000);
  return new SignJWT({ name: p.name, role: p.role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(p.id)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .sign(secret);
}

/** The principal an access token names; AUTH_EXPIRED past its expiry, AUTH_INVALID for anything else wrong with it. */
export async function verifyAccessToken(secret: Uint8Array, token: string, nowMs: number): Promise<Principal> {
  try {
    const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE, currentDate: new Date(nowMs), clockTolerance: 0 });
    const { sub, name, role } = payload;
    if (typeof sub !== 'string' || typeof name !== 'string' || typeof role !== 'string' || !isRole(role)) throw new Error('claims');
    return { kind: 'user', id: sub, name, role };
  } catch (e) {
    if (e instanceof errors.JWTExpired) throw inputError('AUTH_EXPIRED', 'the access token expired; refresh it or log in again');
    throw inputError('AUTH_INVALID', 'the access token is not valid');
  }
}

/** An opaque refresh token (~286 bits); only its sha256 is stored. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = `ffr_${randomBase62(48)}`;
  return { token, hash: sha256(token) };
}

/** A new random signing key (stored once when auth.jwt_secret is not configured). */
export const newJwtSecret = (): string => randomBase62(64);
