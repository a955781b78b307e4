import { decodeTime, isValid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { newUlid } from './fast-ulid.js';

describe('newUlid', () => {
  it('writes valid 26-character ULIDs that decode to the given time', () => {
    for (const t of [0, 1, 1_700_000_000_123, 281474976710655]) {
      const id = newUlid(t);
      expect(id).toHaveLength(26);
      expect(isValid(id)).toBe(true);
      expect(decodeTime(id)).toBe(t);
    }
  });

  it('sorts by time and draws a fresh random part for ids in the same millisecond', () => {
    const a = newUlid(1_000);
    const b = newUlid(1_000);
    const c = newUlid(2_000);
    expect(a.slice(0, 10)).toBe(b.slice(0, 10));
    expect(a).not.toBe(b);
    expect(a < c && b < c).toBe(true);
    const ids = new Set(Array.from({ length: 5_000 }, () => newUlid(3_000)));
    expect(ids.size).toBe(5_000);
  });

  it('uses every character of the alphabet in the random part', () => {
    const seen = new Set<string>();
    for (let k = 0; k < 2_000; k++) for (const ch of newUlid(5).slice(10)) seen.add(ch);
    expect(seen.size).toBe(32);
  });

  it('rejects times the format cannot hold', () => {
    expect(() => newUlid(-1)).toThrow();
    expect(() => newUlid(1.5)).toThrow();
    expect(() => newUlid(2 ** 48)).toThrow();
  });
});
