import { describe, expect, it } from 'vitest';
import { changeRows, exitLabel, fmtHold, tradesNewestFirst, weightScopes, weightSeries, type Trade, type WeightChange } from './model';

const change = (id: string, at: number, previous: Record<string, number>, weights: Record<string, number>, scope = 'all'): WeightChange => ({ id, at, scope, previous, weights, outcomes: 10, reason: `reason ${id}` });

const history: WeightChange[] = [
  change('w2', 1_700_000_600_000, { llama: 0.6, rules: 0.4 }, { llama: 0.55, rules: 0.35, gpt: 0.1 }),
  change('w1', 1_700_000_000_000, { llama: 0.5, rules: 0.5 }, { llama: 0.6, rules: 0.4 }),
  change('r1', 1_700_000_300_000, { llama: 0.5, rules: 0.5 }, { llama: 0.3, rules: 0.7 }, 'RANGING'),
];

describe('weights history → chart series', () => {
  it('one line per provider, oldest first, starting from the weights before the first change; a provider joining later starts then', () => {
    const series = weightSeries(history);
    expect(series.map((s) => s.name)).toEqual(['gpt', 'llama', 'rules']);
    const by = Object.fromEntries(series.map((s) => [s.name, s.points]));
    expect(by.llama).toEqual([
      { time: 1_700_000_000 - 1, value: 0.5 },
      { time: 1_700_000_000, value: 0.6 },
      { time: 1_700_000_600, value: 0.55 },
    ]);
    expect(by.gpt).toEqual([{ time: 1_700_000_600, value: 0.1 }]);
    expect(series.every((s) => s.kind === 'line')).toBe(true);
  });

  it('per scope: a regime has its own lines; an unknown scope or no history draws nothing', () => {
    expect(weightSeries(history, 'RANGING').map((s) => [s.name, s.points.map((p) => p.value)])).toEqual([
      ['llama', [0.5, 0.3]],
      ['rules', [0.5, 0.7]],
    ]);
    expect(weightSeries(history, 'VOLATILE')).toEqual([]);
    expect(weightSeries([])).toEqual([]);
    expect(weightScopes(history)).toEqual(['all', 'RANGING']);
    expect(weightScopes([change('x', 1, {}, {}, 'VOLATILE'), change('y', 2, {}, {}, 'RANGING')])).toEqual(['RANGING', 'VOLATILE']);
  });
});

describe('weight changes table', () => {
  it('newest first, each change with the providers that moved, biggest move first, and its reason', () => {
    const rows = changeRows(history, 'all');
    expect(rows.map((r) => r.id)).toEqual(['w2', 'w1']);
    expect(rows[0].reason).toBe('reason w2');
    expect(rows[0].deltas.map((d) => [d.provider, d.from, d.to])).toEqual([
      ['gpt', null, 0.1],
      ['llama', 0.6, 0.55],
      ['rules', 0.4, 0.35],
    ]);
    expect(rows[0].deltas[1].delta).toBeCloseTo(-0.05, 9);
    expect(changeRows(history).map((r) => r.id)).toEqual(['w2', 'r1', 'w1']);
    expect(changeRows([change('same', 1, { a: 0.5 }, { a: 0.5 })])[0].deltas).toEqual([]);
  });
});

describe('trades', () => {
  it('newest first; hold times and exit reasons read as words', () => {
    const t = (id: string, closed_at: number) => ({ id, closed_at }) as Trade;
    expect(tradesNewestFirst([t('a', 1), t('c', 3), t('b', 2)]).map((x) => x.id)).toEqual(['c', 'b', 'a']);
    expect(fmtHold(12_000)).toBe('12 s');
    expect(fmtHold(45 * 60_000)).toBe('45 m');
    expect(fmtHold(200 * 60_000)).toBe('3 h 20 m');
    expect(fmtHold(50 * 3_600_000)).toBe('2 d 2 h');
    expect(fmtHold(null)).toBe('—');
    expect(exitLabel('take_profit')).toBe('take profit');
  });
});
