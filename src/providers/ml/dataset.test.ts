import { describe, expect, it } from 'vitest';
import { BundledMarketData } from '../../data/bundled/adapter.js';
import { BUNDLED_DIR, SMALL_SPEC } from '../../../test/fakes/ml-model.js';
import { classCounts, labelOf, loadSamples } from './dataset.js';
import { featureNames } from './features.js';

describe('ml dataset', () => {
  it('labels a forward return beyond the round-trip cost BUY or SELL, within it HOLD', () => {
    expect(labelOf(0.003, 0.0022)).toBe(2);
    expect(labelOf(-0.003, 0.0022)).toBe(0);
    expect(labelOf(0.002, 0.0022)).toBe(1);
    expect(labelOf(-0.0022, 0.0022)).toBe(1);
  });

  it('takes a sample only when its horizon has closed by --until (the last horizon is purged) and is deterministic', async () => {
    const md = new BundledMarketData(BUNDLED_DIR);
    const names = featureNames('1h');
    const spec = { ...SMALL_SPEC, from: Date.parse('2024-03-01T00:00:00Z'), until: Date.parse('2024-03-08T00:00:00Z') };
    const s = await loadSamples(md, 'BTCUSD', names, spec);
    expect(s.length).toBeGreaterThan(100);
    const horizonMs = spec.horizon * 3_600_000;
    const last = s[s.length - 1];
    expect(last.t + horizonMs).toBeLessThanOrEqual(spec.until);
    // The purge is exact: the next hour's sample would need a label past --until.
    expect(last.t + horizonMs + 3_600_000).toBeGreaterThan(spec.until);
    expect(s[0].t).toBeGreaterThanOrEqual(spec.from);
    expect(s.every((x) => x.x.length === names.length && x.x.every(Number.isFinite))).toBe(true);
    expect(classCounts(s.map((x) => x.y)).every((c) => c > 0)).toBe(true);
    const again = await loadSamples(md, 'BTCUSD', names, spec);
    expect(again.map((x) => [x.t, x.y, ...x.x])).toEqual(s.map((x) => [x.t, x.y, ...x.x]));
  });

  it('never reads a bar past --until: samples near the end are the same whatever data follows', async () => {
    const md = new BundledMarketData(BUNDLED_DIR);
    const names = featureNames('1h');
    const until = Date.parse('2024-03-05T00:00:00Z');
    const a = await loadSamples(md, 'BTCUSD', names, { ...SMALL_SPEC, until });
    const b = await loadSamples(md, 'BTCUSD', names, { ...SMALL_SPEC, until: until + 30 * 86_400_000 });
    expect(b.slice(0, a.length).map((x) => x.x)).toEqual(a.map((x) => x.x));
  });
});
