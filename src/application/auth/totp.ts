import { Secret, TOTP } from 'otpauth';

/** RFC 6238 defaults every authenticator app understands. */
const PERIOD = 30;
const DIGITS = 6;
const ISSUER = 'Finance Feedback Engine';

const totp = (secret: string, label = 'ffe') => new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: DIGITS, period: PERIOD, secret: Secret.fromBase32(secret) });

/** A new random 160-bit secret, base32. */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

/** `otpauth://totp/...` for a QR code or an authenticator app. */
export const otpauthUri = (secret: string, userName: string): string => totp(secret, userName).toString();

/** The current code (tests and tools; the server never needs it). */
export const totpCode = (secret: string, nowMs: number): string => totp(secret).generate({ timestamp: nowMs });

/**
 * The time step a code belongs to when it matches the current step or one either side (clock
 * drift), else null. The caller records the step so a code is accepted once (no replay).
 */
export function totpStep(secret: string, code: string, nowMs: number): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp(secret).validate({ token: code, timestamp: nowMs, window: 1 });
  return delta === null ? null : Math.floor(nowMs / 1000 / PERIOD) + delta;
}
