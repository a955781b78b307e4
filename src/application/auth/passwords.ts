import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { randomBase62 } from './random.js';

/** scrypt cost: N=2^14, r=8, p=1 (16 MiB, tens of ms). Stored in each hash so it can be raised later without breaking old hashes. */
const PARAMS = { N: 16_384, r: 8, p: 1 };
const KEY_LEN = 32;
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 1024;

const derive = (password: string, salt: Buffer, o: ScryptOptions, len: number): Promise<Buffer> =>
  new Promise((resolve, reject) => scrypt(password.normalize('NFKC'), salt, len, { ...o, maxmem: 256 * 1024 * 1024 }, (e, key) => (e ? reject(e) : resolve(key))));

/** `scrypt$N$r$p$<salt base64>$<key base64>`: a random salt per password; the password itself is never in it. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS, KEY_LEN);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Constant-time comparison; a malformed stored hash never verifies. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [algo, n, r, p, salt, key] = stored.split('$');
  if (algo !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (!expected.length || ![params.N, params.r, params.p].every((x) => Number.isInteger(x) && x > 0)) return false;
  const actual = await derive(password, Buffer.from(salt, 'base64'), params, expected.length);
  return timingSafeEqual(actual, expected);
}

/** Why a password is refused, or undefined. Length is what matters (NIST SP 800-63B); no composition rules. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < PASSWORD_MIN) return `password: at least ${PASSWORD_MIN} characters`;
  if (password.length > PASSWORD_MAX) return `password: at most ${PASSWORD_MAX} characters`;
  return undefined;
}

/** 24 base62 characters (~143 bits). */
export const generatePassword = (): string => randomBase62(24);

let dummy: Promise<string> | null = null;
/** A hash to verify against when the user does not exist, so an unknown name takes as long as a wrong password. */
export const dummyHash = (): Promise<string> => (dummy ??= hashPassword(randomBase62(24)));
