import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fakeContext } from '../../../test/fakes/analysis-context.js';
import { smallModel } from '../../../test/fakes/ml-model.js';
import { MlProvider } from './ml-provider.js';
import { loadModel, MODEL_FORMAT, type ModelFile } from './model-file.js';

let model: { file: ModelFile; path: string };
beforeAll(async () => {
  model = await smallModel();
}, 120_000);

const rewrite = (change: (m: Record<string, unknown>) => void): string => {
  const m = JSON.parse(readFileSync(model.path, 'utf8')) as Record<string, unknown>;
  change(m);
  const path = join(model.path, `../changed-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(m));
  return path;
};

describe('ml model file', () => {
  it('records the format, training window, horizon, feature list, classes, library and metrics, and loads back to the same forest', () => {
    const f = model.file;
    expect(f.format).toBe(MODEL_FORMAT);
    expect(f.window.until).toBe('2024-04-01T00:00:00.000Z');
    expect(f.id).toMatch(/^ml-1h-h6-2024-04-01-[0-9a-f]{10}$/);
    expect(f.classes).toEqual(['SELL', 'HOLD', 'BUY']);
    expect(f.library.name).toBe('ml-random-forest');
    expect(f.library.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(f.training.samples).toBeGreaterThan(500);
    expect(f.training.validation.samples).toBeGreaterThan(0);
    const loaded = loadModel(model.path);
    expect(loaded.file.id).toBe(f.id);
    expect(loaded.until).toBe(Date.parse('2024-04-01T00:00:00Z'));
    expect(loaded.forest.predict([new Array(f.features.length).fill(0.5)])).toHaveLength(1);
  });

  it('trains the same forest from the same data and seed', async () => {
    const again = await smallModel();
    expect(again.file.id).toBe(model.file.id);
  }, 120_000);

  it('refuses a missing file naming the command to train, another format version, and a different feature list', () => {
    expect(() => loadModel('/nonexistent/ml.json')).toThrow(/no ml model at \/nonexistent\/ml.json: train one with `ffe ml train PAIRS --until DATE`/);
    expect(() => loadModel(rewrite((m) => (m.formatVersion = 99)))).toThrow(/format version 99; this version of ffe reads 1/);
    expect(() => loadModel(rewrite((m) => (m.features = [...(m.features as string[]).slice(1), 'fundamentals.pe'])))).toThrow(/different feature list.*not computed: fundamentals.pe.*new: 1h.ok/);
    expect(() => loadModel(rewrite((m) => delete m.window))).toThrow(/ML_MODEL_INVALID|window/);
  });
});

describe('ml provider', () => {
  it('decides after its training window: an action, the vote share as confidence and the class probabilities as reasoning', async () => {
    const p = new MlProvider('ml', model.path);
    expect(p.model).toBe(model.file.id);
    const r = await p.decide(fakeContext());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(['BUY', 'SELL', 'HOLD']).toContain(r.signal.action);
    expect(r.signal.confidence).toBeGreaterThanOrEqual(34);
    expect(r.signal.reasoning).toMatch(/P\(SELL\) \d+%, P\(HOLD\) \d+%, P\(BUY\) \d+% over the next 6 1h bars/);
    // Deterministic: the same context, the same answer.
    const again = await p.decide(fakeContext());
    expect(again.ok && again.signal).toEqual(r.signal);
  });

  it('refuses a decision inside its training window rather than look ahead', async () => {
    const p = new MlProvider('ml', model.path);
    const r = await p.decide(fakeContext({ asOf: Date.parse('2024-03-20T00:00:00Z') }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('ERROR');
    expect(r.reason).toMatch(/trained on labels up to 2024-04-01T00:00:00.000Z; deciding at 2024-03-20T00:00:00.000Z would use a model that saw the future/);
  });

  it('is built without a model (every other command must run) and then fails each decision naming `ffe ml train`', async () => {
    const p = new MlProvider('ml', '/nonexistent/ml.json');
    expect(p.model).toBeNull();
    const r = await p.decide(fakeContext());
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('NOT_INSTALLED');
    expect(r.reason).toContain('ffe ml train');
  });
});
