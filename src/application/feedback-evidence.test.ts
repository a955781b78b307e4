import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configHome } from '../../test/support/config-home.js';
import { smallModel } from '../../test/fakes/ml-model.js';
import { FfeApi } from './api.js';

const day = (d: string) => Date.parse(`${d}T00:00:00Z`);

describe('memory evaluate (adaptive vs equal vs frozen weights over walk-forward windows)', () => {
  let api: FfeApi;
  beforeAll(async () => {
    const { path } = await smallModel();
    // Training windows of 7 days of 1h bars (168) sit under the default walk-forward minimum of 200 bars.
    api = await FfeApi.open(configHome(`providers:\n  ml:\n    kind: ml\n    model_file: ${JSON.stringify(path)}\n    weight: 2\nbacktest:\n  walk_forward:\n    min_train_bars: 100\n`, 'ffe-evidence-'));
  }, 120_000);
  afterAll(() => api?.close());

  it('asks rules and ml at every bar and reports each weighting per window, with paired bootstrap differences', async () => {
    const r = await api.insight.memoryEvaluate({ pair: 'BTCUSD', providers: ['rules', 'ml'], start: day('2024-04-01'), end: day('2024-04-22'), timeframe: '1h', windows: 2, trainRatio: 0.5, reps: 200 });
    expect(r.bars).toBe(21 * 24);
    expect(r.configured).toEqual({ rules: 1, ml: 2 });
    expect(r.windows).toHaveLength(2);
    expect(r.windows[0].testStart).toBe(r.windows[0].trainStart + 7 * 86_400_000);
    for (const w of r.windows) for (const s of ['adaptive', 'equal', 'frozen'] as const) expect(Number.isFinite(w.schemes[s].totalReturn)).toBe(true);
    const d = r.adaptiveVsEqual.totalReturn;
    expect(d.estimate).toBeCloseTo(r.overall.adaptive.totalReturn - r.overall.equal.totalReturn, 12);
    expect(d.lower).toBeLessThanOrEqual(d.estimate + 1e-12);
    expect(d.upper).toBeGreaterThanOrEqual(d.estimate - 1e-12);
    expect(r.notes.some((n) => n.includes('frozen and equal'))).toBe(false);
  }, 120_000);

  it('refuses fewer than two providers, the ensemble itself, and an unknown name', async () => {
    const req = { pair: 'BTCUSD', start: day('2024-04-01'), end: day('2024-04-22') };
    await expect(api.insight.memoryEvaluate({ ...req, providers: ['rules'] })).rejects.toMatchObject({ code: 'FLAG_INVALID' });
    await expect(api.insight.memoryEvaluate({ ...req, providers: ['rules', 'ensemble'] })).rejects.toMatchObject({ code: 'FLAG_INVALID' });
    await expect(api.insight.memoryEvaluate({ ...req, providers: ['rules', 'nope'] })).rejects.toMatchObject({ code: 'PROVIDER_UNKNOWN', message: expect.stringContaining('"nope"') });
  });
});
