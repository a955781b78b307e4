import { describe, expect, it } from 'vitest';
import { fakeContext } from '../../../test/fakes/analysis-context.js';
import { featureFrames, featureNames, featureRecord, featureVector } from './features.js';

describe('ml features', () => {
  it('read the model timeframe and the two coarser ones, then confluence, strength and a regime one-hot', () => {
    expect(featureFrames('1h')).toEqual(['1h', '4h', '1d']);
    expect(featureFrames('1d')).toEqual(['1d']);
    const names = featureNames('1h');
    expect(names).toContain('4h.rsi');
    expect(names).toContain('regime_TRENDING_UP');
    expect(new Set(names).size).toBe(names.length);
  });

  it('are scale-free numbers read from the pulse and regime', () => {
    const rec = featureRecord(fakeContext(), '1h');
    expect(rec['1h.ok']).toBe(1);
    expect(rec['1h.rsi']).toBeCloseTo(0.551);
    expect(rec['1d.close_sma20']).toBeCloseTo(1 / 0.98 - 1);
    expect(rec.regime_TRENDING_UP).toBe(1);
    expect(rec.regime_RANGING).toBe(0);
  });

  it('default a missing timeframe or optional feature to 0 and flag the frame as not ok', () => {
    const ctx = fakeContext();
    ctx.pulse = { ...ctx.pulse, timeframes: ctx.pulse.timeframes.filter((f) => f.timeframe !== '4h') };
    const extra = [{ name: 'fundamentals.pe', read: () => null }];
    const rec = featureRecord(ctx, '1h', extra);
    expect(rec['4h.ok']).toBe(0);
    expect('fundamentals.pe' in rec).toBe(false);
    const names = [...featureNames('1h'), 'fundamentals.pe'];
    const row = featureVector(names, { ...rec, '1h.rsi': NaN });
    expect(row).toHaveLength(names.length);
    expect(row.every(Number.isFinite)).toBe(true);
    expect(row[names.indexOf('4h.rsi')]).toBe(0);
    expect(row[names.indexOf('1h.rsi')]).toBe(0);
    expect(row[names.indexOf('fundamentals.pe')]).toBe(0);
  });
});
