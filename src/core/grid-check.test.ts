import { describe, expect, it } from 'vitest';
import { barExpected, describeGaps, firstOffGrid, gridReport } from './grid-check.js';

const T = (s: string) => Date.parse(s);
const minutes = (from: string, n: number, skip: number[] = []) => Array.from({ length: n }, (_, i) => T(from) + i * 60_000).filter((_, i) => !skip.includes(i));

describe('grid check', () => {
  it('finds a bar stamped 12:00 inside a 1d series', () => {
    const times = [T('2024-01-01T00:00Z'), T('2024-01-02T12:00Z'), T('2024-01-03T00:00Z')];
    expect(firstOffGrid(times, '1d')).toBe(1);
    expect(firstOffGrid(times, '1h')).toBe(-1);
    expect(gridReport(times, '1d', 'crypto')).toMatchObject({ offGrid: 1, firstOffGrid: T('2024-01-02T12:00Z') });
  });

  it('reports three missing minutes in a 1m series: count, longest and where', () => {
    // Minutes 10, 11, 12 are missing, and minute 30 alone.
    const r = gridReport(minutes('2024-03-01T00:00Z', 60, [10, 11, 12, 30]), '1m', 'crypto');
    expect(r).toMatchObject({ bars: 56, offGrid: 0, gaps: 2, missingBars: 4, closedBars: 0 });
    expect(r.longest).toEqual({ after: T('2024-03-01T00:09Z'), before: T('2024-03-01T00:13Z'), missing: 3 });
    expect(r.list.map((g) => g.missing)).toEqual([3, 1]);
    expect(describeGaps(r)).toBe('2 gaps, 4 bars missing; longest: 3 bars missing between 2024-03-01T00:09:00.000Z and 2024-03-01T00:13:00.000Z');
    expect(describeGaps(gridReport(minutes('2024-03-01T00:00Z', 60), '1m', 'crypto'))).toBe('no gaps');
  });

  it('a forex weekend is expected closure, not a gap; a missing weekday hour is', () => {
    // Friday 2024-03-08 20:00 UTC (15:00 New York) to Sunday 22:00 UTC (17:00 New York): forex closes Friday 17:00 NY (22:00 UTC).
    const fri = T('2024-03-08T20:00Z');
    const hours = [fri, fri + 3_600_000, T('2024-03-10T21:00Z'), T('2024-03-10T22:00Z')];
    const r = gridReport(hours, '1h', 'forex');
    // DST began 2024-03-10 in New York: the week reopens at 21:00 UTC. Nothing is missing.
    expect(r).toMatchObject({ gaps: 0, missingBars: 0 });
    expect(r.closedBars).toBe(47);
    // The same hole in crypto is 47 missing bars.
    expect(gridReport(hours, '1h', 'crypto')).toMatchObject({ gaps: 1, missingBars: 47 });
    // Dropping Friday 21:00 UTC (16:00 NY, still open) is a gap.
    expect(gridReport([fri, T('2024-03-10T21:00Z')], '1h', 'forex')).toMatchObject({ gaps: 1, missingBars: 1 });
  });

  it('stocks: nights and weekends are closed; daily bars are expected Monday to Friday', () => {
    // 2024-03-04 is a Monday. 13:00 UTC = 08:00 New York (EST): the 1h bar from 14:00 UTC (09:00 NY) holds the 09:30 open.
    expect(barExpected('stock', T('2024-03-04T13:00Z'), '1h')).toBe(false);
    expect(barExpected('stock', T('2024-03-04T14:00Z'), '1h')).toBe(true);
    expect(barExpected('stock', T('2024-03-04T14:15Z'), '15m')).toBe(false);
    expect(barExpected('stock', T('2024-03-04T14:30Z'), '15m')).toBe(true);
    const days = ['2024-03-01', '2024-03-04', '2024-03-06'].map((d) => T(`${d}T00:00Z`));
    // Friday → Monday skips a weekend; Monday → Wednesday misses Tuesday.
    const r = gridReport(days, '1d', 'stock');
    expect(r).toMatchObject({ gaps: 1, missingBars: 1, closedBars: 2 });
    expect(r.longest).toEqual({ after: days[1], before: days[2], missing: 1 });
  });
});
