import { describe, expect, it } from 'vitest';
import { calibrate, isotonicMap, providerCalibrations } from './calibrated-confidence.js';
import { outcome, vote } from './test-outcomes.js';

const calls = (confidence: number, hits: number, misses: number) => [...Array.from({ length: hits }, () => ({ confidence, hit: true })), ...Array.from({ length: misses }, () => ({ confidence, hit: false }))];

describe('calibrated confidence', () => {
  it('pools violators so a higher stated confidence never maps lower, with Laplace smoothing', () => {
    // 60: 3/4 right, 80: 1/4 right (a violation, pooled: 4/8), 90: 9/10 right.
    const m = isotonicMap([...calls(80, 1, 3), ...calls(60, 3, 1), ...calls(90, 9, 1)]);
    expect(m.samples).toBe(18);
    expect(m.points).toEqual([
      { stated: 70, calibrated: expect.closeTo(((4 + 1) / (8 + 2)) * 100, 10), n: 8 },
      { stated: 90, calibrated: expect.closeTo(((9 + 1) / (10 + 2)) * 100, 10), n: 10 },
    ]);
    expect(calibrate(m, 50)).toBeCloseTo(50, 10);
    expect(calibrate(m, 80)).toBeCloseTo(50 + 0.5 * (83.3333333333 - 50), 6);
    expect(calibrate(m, 99)).toBeCloseTo(83.3333333333, 6);
    expect(calibrate({ samples: 0, points: [] }, 77)).toBe(77);
  });

  it('learns per provider from closed trades (cost-adjusted hits), with Brier scores and a minimum sample', () => {
    // An overconfident provider: says 90 and is right half of the time.
    const os = Array.from({ length: 10 }, (_, i) => outcome(i % 2 ? 0.01 : -0.01, [vote('over', 'BUY', 90), vote('quiet', 'HOLD', 50)]));
    const [over] = providerCalibrations(os, 10);
    expect(over).toMatchObject({ provider: 'over', samples: 10, usable: true });
    expect(over.brierStated).toBeCloseTo((5 * 0.1 ** 2 + 5 * 0.9 ** 2) / 10, 12);
    expect(calibrate(over.map, 90)).toBeCloseTo(50, 10);
    expect(over.brierCalibrated).toBeCloseTo(0.25, 12);
    expect(providerCalibrations(os, 11)[0].usable).toBe(false);
  });
});
