import { randomFillSync } from 'node:crypto';
import { ulid } from 'ulid';

/**
 * ULIDs from a pooled cryptographic source: the default draws random bytes one character at a
 * time (16 calls per id), which dominated backtests that create a decision per trade.
 */
const pool = new Uint8Array(4096);
let next = pool.length;

function pooledRandom(): number {
  if (next >= pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  return pool[next++] / 256;
}

export const newUlid = (time?: number): string => ulid(time, pooledRandom);
