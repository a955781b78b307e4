import { describe, expect, it } from 'vitest';
import { wallAsUtc, zoneConverter } from './time.js';

const iso = (ms: number) => new Date(ms).toISOString();
const toUtc = (wall: string, zone: string) => iso(zoneConverter(zone)!(wallAsUtc(wall)));

describe('wallAsUtc', () => {
  it('reads dates and date-times as UTC fields', () => {
    expect(iso(wallAsUtc('2024-12-01'))).toBe('2024-12-01T00:00:00.000Z');
    expect(iso(wallAsUtc('2024-10-30 19:30:00'))).toBe('2024-10-30T19:30:00.000Z');
    expect(iso(wallAsUtc('2024-10-30 19:30'))).toBe('2024-10-30T19:30:00.000Z');
  });

  it('rejects text that is not a real calendar label', () => {
    for (const bad of ['2024-02-30', '2024-13-01', '2024-01-01 24:00:00', '20240101', 'yesterday', '']) {
      expect(wallAsUtc(bad), bad).toBeNaN();
    }
  });
});

describe('zoneConverter', () => {
  it('treats UTC and GMT as no shift', () => {
    expect(toUtc('2024-01-15 16:00:00', 'UTC')).toBe('2024-01-15T16:00:00.000Z');
    expect(toUtc('2024-01-15 16:00:00', 'GMT')).toBe('2024-01-15T16:00:00.000Z');
  });

  it('reads US/Eastern with daylight saving: EDT is UTC−4, EST is UTC−5', () => {
    expect(toUtc('2024-10-30 19:30:00', 'US/Eastern')).toBe('2024-10-30T23:30:00.000Z');
    expect(toUtc('2024-11-04 04:00:00', 'US/Eastern')).toBe('2024-11-04T09:00:00.000Z');
    expect(toUtc('2024-03-08 09:30:00', 'US/Eastern')).toBe('2024-03-08T14:30:00.000Z');
    expect(toUtc('2024-03-11 09:30:00', 'US/Eastern')).toBe('2024-03-11T13:30:00.000Z');
  });

  it('gets the hours right on the days the clocks change', () => {
    expect(toUtc('2024-11-03 03:00:00', 'US/Eastern')).toBe('2024-11-03T08:00:00.000Z');
    expect(toUtc('2024-11-03 00:30:00', 'US/Eastern')).toBe('2024-11-03T04:30:00.000Z');
    // 01:30 happens twice that night; the first (EDT) occurrence is taken.
    expect(toUtc('2024-11-03 01:30:00', 'US/Eastern')).toBe('2024-11-03T05:30:00.000Z');
    expect(toUtc('2024-03-10 04:00:00', 'US/Eastern')).toBe('2024-03-10T08:00:00.000Z');
    expect(toUtc('2024-03-10 01:00:00', 'US/Eastern')).toBe('2024-03-10T06:00:00.000Z');
  });

  it('reads GMT±N the way people write it', () => {
    expect(toUtc('2019-02-22 02:50:00', 'GMT+8')).toBe('2019-02-21T18:50:00.000Z');
    expect(toUtc('2019-02-22 02:50:00', 'UTC-05:30')).toBe('2019-02-22T08:20:00.000Z');
  });

  it('returns null for a zone it cannot interpret', () => {
    expect(zoneConverter('Mars/Olympus_Mons')).toBeNull();
  });
});
