import { createHash, randomBytes } from 'node:crypto';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `n` uniformly random base62 characters (rejection sampling: bytes ≥ 248 would bias the first 8 letters). */
export function randomBase62(n: number): string {
  let out = '';
  while (out.length < n) {
    for (const b of randomBytes(n * 2)) {
      if (b < 248 && out.length < n) out += BASE62[b % 62];
    }
  }
  return out;
}

/** sha256 hex: API keys and refresh tokens are stored (and looked up) as this; they are random enough that no salt or slow hash is needed. */
export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
