import { describe, expect, it } from 'vitest';
import { BundledMarketData } from '../../data/bundled/adapter.js';
import { BUNDLED_DIR, SMALL_SPEC } from '../../../test/fakes/ml-model.js';
import { classCounts, labelOf, loadSamples } from './dataset.js';
import { featureNames } from './features.js';
import { fundamental } from '../../../test/contract/store/records.js';

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

  it('gives a stock its fundamentals as of each sample: none before a report is published, the flag and values after', async () => {
    const md = new BundledMarketData(BUNDLED_DIR);
    const names = featureNames('1d');
    const published = Date.parse('2020-07-21T22:00:00Z');
    const reports = ['2019-06-30', '2019-09-30', '2019-12-31', '2020-03-31', '2020-06-30'].map((q, i) =>
      fundamental('SPY', 'earnings_quarterly', q, { visibleFrom: i < 4 ? published - 1 : published, reportedDate: null, values: { reportedEps: 1 + i / 10, estimatedEps: 1, surprisePercentage: 5 } }),
    );
    const spec = { ...SMALL_SPEC, timeframe: '1d' as const, horizon: 5, from: Date.parse('2020-06-01T00:00:00Z'), until: Date.parse('2020-10-01T00:00:00Z') };
    const s = await loadSamples(md, 'SPY', names, spec, true, reports);
    const flag = names.indexOf('fund_present');
    const pe = names.indexOf('fund_pe');
    const before = s.filter((x) => x.t < published - 1);
    const after = s.filter((x) => x.t >= published);
    expect(before.length).toBeGreaterThan(10);
    expect(after.length).toBeGreaterThan(10);
    expect(before.every((x) => x.x[flag] === 0 && x.x[pe] === 0 && x.ctx!.pulse.fundamentals === undefined)).toBe(true);
    expect(after.every((x) => x.x[flag] === 1 && x.x[pe] > 0)).toBe(true);
    // The fifth report counts only from its own publication: the trailing EPS is the newest four visible.
    expect(after[0].ctx!.pulse.fundamentals!.valuation.trailingEps).toBeCloseTo(1.1 + 1.2 + 1.3 + 1.4, 10);
    // Crypto (no records) has the features all 0.
    const btc = await loadSamples(md, 'BTCUSD', featureNames('1h'), { ...SMALL_SPEC, from: Date.parse('2024-03-01T00:00:00Z'), until: Date.parse('2024-03-03T00:00:00Z') });
    expect(btc.every((x) => x.x[featureNames('1h').indexOf('fund_present')] === 0)).toBe(true);
  });
});
