import { describe, expect, it } from 'vitest';
import { EXIT_NONE, EXIT_STOP, EXIT_TARGET, exitFromFinerBars, intrabarExit, limitFillPrice, reachedBoth, type ExitHit } from './fill-rule.js';

const exit = (long: boolean, open: number, high: number, low: number, sl: number, tp: number) => {
  const h: ExitHit = intrabarExit(long, open, high, low, sl, tp, { kind: -1, price: -1 });
  return h.kind === EXIT_NONE ? null : [h.kind === EXIT_STOP ? 'stop' : h.kind === EXIT_TARGET ? 'target' : '?', h.price];
};
const NONE = Number.NaN;

// Moved from venues/ledger.test.ts (the paper venue's triggers), now with the price each fills at.
describe('one intrabar fill rule: levels reached inside the bar', () => {
  it('long: a bar reaching both fills the stop (conservative)', () => {
    expect(exit(true, 100, 111, 94, 95, 110)).toEqual(['stop', 95]);
  });
  it('long: the target alone, the stop alone, or neither', () => {
    expect(exit(true, 100, 110, 96, 95, 110)).toEqual(['target', 110]);
    expect(exit(true, 100, 101, 95, 95, 110)).toEqual(['stop', 95]);
    expect(exit(true, 100, 109.99, 95.01, 95, 110)).toBeNull();
  });
  it('short mirrors: stop above, target below; both → stop; a missing level never fills', () => {
    expect(exit(false, 100, 106, 89, 105, 90)).toEqual(['stop', 105]);
    expect(exit(false, 100, 104, 90, 105, 90)).toEqual(['target', 90]);
    expect(exit(false, 100, 104, 80, 105, NONE)).toBeNull();
  });
});

describe('one intrabar fill rule: gaps fill at the open', () => {
  it('a stop gapped through fills at the (worse) open, not at the stop', () => {
    expect(exit(true, 90, 92, 88, 95, 110)).toEqual(['stop', 90]);
    expect(exit(false, 112, 113, 100, 105, 90)).toEqual(['stop', 112]);
  });
  it('a target gapped through fills at the (better) open', () => {
    expect(exit(true, 115, 116, 108, 95, 110)).toEqual(['target', 115]);
    expect(exit(false, 85, 99, 84, 105, 90)).toEqual(['target', 85]);
  });
  it('an unknown open never gaps: the levels fill at their price', () => {
    expect(exit(true, NONE, 92, 88, 95, 110)).toEqual(['stop', 95]);
  });
  it('a one-trade bar (a live quote) that jumped past the stop fills at that quote', () => {
    expect(exit(true, 93, 93, 93, 95, 110)).toEqual(['stop', 93]);
  });
});

describe('one intrabar fill rule: resting limits', () => {
  it('fill at the limit when traded through, at a better open when the bar opened beyond it, else not at all', () => {
    expect(limitFillPrice('buy', 90, 95, 99, 89)).toBe(90);
    expect(limitFillPrice('buy', 90, 87, 91, 86)).toBe(87);
    expect(limitFillPrice('buy', 90, 95, 99, 90.01)).toBeNull();
    expect(limitFillPrice('sell', 110, 105, 111, 100)).toBe(110);
    expect(limitFillPrice('sell', 110, 113, 114, 108)).toBe(113);
    expect(limitFillPrice('buy', 90, NONE, 95, 89)).toBe(90);
  });
});

describe('a bar that reached both: finer bars settle the order', () => {
  const M = 60_000;
  // Four 1m bars inside a 4-minute bar 100 / 111 / 94: the target (110) is reached at minute 2, the stop (95) at minute 3.
  const fine = { timestamp: [0, M, 2 * M, 3 * M], open: [100, 101, 105, 108], high: [102, 106, 110.5, 108], low: [99, 100, 104, 94], length: 4 };
  const first = (f: typeof fine, start = 0, sl = 95, tp = 110) => {
    const h = exitFromFinerBars(true, sl, tp, f, start, start + 4 * M, { kind: -1, price: -1 });
    return h.kind === EXIT_NONE ? null : [h.kind === EXIT_STOP ? 'stop' : 'target', h.price];
  };
  it('only a bar that reached both without opening through either is ambiguous', () => {
    expect(reachedBoth(true, 100, 111, 94, 95, 110)).toBe(true);
    expect(reachedBoth(true, 100, 109, 94, 95, 110)).toBe(false);
    expect(reachedBoth(true, 94, 111, 90, 95, 110)).toBe(false);
    expect(reachedBoth(false, 100, 106, 89, 105, 90)).toBe(true);
  });
  it('the first finer bar to reach a level decides: here the target, at its price', () => {
    expect(first(fine)).toEqual(['target', 110]);
    // Stop reached first when the minutes run the other way round.
    const down = { ...fine, high: [102, 103, 104, 111], low: [99, 94.5, 96, 100] };
    expect(first(down)).toEqual(['stop', 95]);
    // A minute reaching both is the stop again.
    expect(first({ ...fine, high: [111, 0, 0, 0], low: [94, 0, 0, 0] })).toEqual(['stop', 95]);
  });
  it('finer bars that do not start with the bar, or never reach a level, do not tell', () => {
    expect(first(fine, -M)).toBeNull();
    expect(first({ ...fine, high: [101, 101, 101, 101], low: [99, 99, 99, 99] })).toBeNull();
  });
});
