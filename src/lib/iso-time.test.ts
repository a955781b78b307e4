import { describe, expect, it } from 'vitest';
import { isoTime, parseIsoTime } from './iso-time.js';

// A seeded generator: the same times every run, spread over 1970–9999 and over a day's milliseconds.
function times(n: number, seed = 12345): number[] {
  let x = seed;
  const next = () => (x = (x * 48_271) % 2_147_483_647) / 2_147_483_647;
  return Array.from({ length: n }, (_, i) => (i % 2 ? Math.floor(next() * 253_402_300_799_999) : Math.floor(1.7e12 + next() * 4e9)));
}

describe('isoTime', () => {
  it('writes what Date#toISOString writes', () => {
    for (const ms of [...times(20_000), 0, 951_782_400_000, 951_868_799_999, 4_107_542_400_000, 253_402_300_799_999]) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
  });

  it('hands other times to Date (negative, fractional, year 10000, invalid)', () => {
    for (const ms of [-1, -86_400_001, 1.5, 253_402_300_800_000]) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    expect(() => isoTime(NaN)).toThrow(RangeError);
  });
});

describe('parseIsoTime', () => {
  it('reads back what isoTime writes, as Date.parse does', () => {
    for (const ms of times(20_000, 777)) expect(parseIsoTime(isoTime(ms))).toBe(ms);
  });

  it('reads a text other than the last written by its fields, and the last one from memory', () => {
    const all = times(5_000, 99);
    const texts = all.map((ms) => isoTime(ms));
    isoTime(0);
    // None of these is the last text written: each is parsed from its characters.
    texts.forEach((t, k) => expect(parseIsoTime(t)).toBe(all[k]));
    expect(parseIsoTime(isoTime(1_733_000_000_123))).toBe(1_733_000_000_123);
    expect(parseIsoTime('1970-01-01T00:00:00.000Z')).toBe(0);
  });

  it('agrees with Date.parse on other layouts and on out-of-range fields', () => {
    const texts = [
      '2024-02-29T12:00:00.000Z',
      '2023-02-29T12:00:00.000Z',
      '2024-04-31T00:00:00.000Z',
      '2024-13-01T00:00:00.000Z',
      '2024-01-01T24:00:00.000Z',
      '2024-01-01T00:60:00.000Z',
      '1969-12-31T23:59:59.999Z',
      '2024-01-01',
      '2024-01-01T00:00:00Z',
      '2024-01-01T00:00:00.000+01:00',
      '2024-0a-01T00:00:00.000Z',
      'garbage',
    ];
    for (const t of texts) expect(parseIsoTime(t)).toEqual(Date.parse(t));
  });
});
