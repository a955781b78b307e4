import { randomFillSync } from 'node:crypto';
import { encodeTime } from 'ulid';

/**
 * ULIDs (the `ulid` package's format: 10 Crockford base-32 characters of time, 16 random) from a
 * pooled cryptographic source. The package draws random bytes one character at a time (16 calls
 * per id) and re-encodes the time for every id, which dominated backtests that create a decision
 * per bar; here one pooled byte gives one character (its top 5 bits, as `floor(byte / 256 * 32)`
 * does in the package) and the time text is kept while the millisecond is the same.
 */
const ENCODING = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODES = Uint8Array.from(ENCODING, (c) => c.charCodeAt(0));
const pool = new Uint8Array(4096);
let next = pool.length;
let lastTime = -1;
let lastTimeText = '';

function randomPart(): string {
  if (next + 16 > pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  const b = pool;
  const i = next;
  next += 16;
  // One flat string from sixteen codes (concatenating characters would build a rope per id).
  return String.fromCharCode(
    CODES[b[i] >> 3],
    CODES[b[i + 1] >> 3],
    CODES[b[i + 2] >> 3],
    CODES[b[i + 3] >> 3],
    CODES[b[i + 4] >> 3],
    CODES[b[i + 5] >> 3],
    CODES[b[i + 6] >> 3],
    CODES[b[i + 7] >> 3],
    CODES[b[i + 8] >> 3],
    CODES[b[i + 9] >> 3],
    CODES[b[i + 10] >> 3],
    CODES[b[i + 11] >> 3],
    CODES[b[i + 12] >> 3],
    CODES[b[i + 13] >> 3],
    CODES[b[i + 14] >> 3],
    CODES[b[i + 15] >> 3],
  );
}

/** A ULID for `time` (ms, default now); the package's encodeTime validates the time and throws its errors. */
export function newUlid(time: number = Date.now()): string {
  if (time !== lastTime) {
    lastTimeText = encodeTime(time);
    lastTime = time;
  }
  return lastTimeText + randomPart();
}
