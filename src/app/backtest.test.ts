import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FILL_MODEL } from '../backtest/fill-model.js';
import { backtest, type BacktestRequest } from './backtest.js';
import { createApp, type App } from './container.js';

// A year of bundled BTCUSD 1h bars.
const req: BacktestRequest = { pairs: ['BTCUSD'], start: Date.UTC(2024, 0, 1), end: Date.UTC(2025, 0, 1), strategy: 'sma-cross', params: { fast: 8, slow: 30 } };

let app: App;
beforeAll(async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'ffe-backtest-'));
  app = await createApp({ cwd, env: { FFE_HOME: cwd } });
});
afterAll(() => app.close());

describe('which engine a strategy backtest runs on', () => {
  it('sma-cross without the risk gate takes the vectorised path, with the event engine’s trades and metrics', async () => {
    const vec = await backtest(app, { ...req, risk: false });
    const ev = await backtest(app, { ...req, risk: false, engine: 'fast' });
    expect(vec.engine).toBe('vectorised');
    expect(ev.engine).toBe('fast');
    expect(vec.trades.length).toBeGreaterThan(10);
    expect(vec.trades).toEqual(ev.trades);
    expect(vec.metrics).toEqual(ev.metrics);
    expect(Array.from(vec.equity)).toEqual(Array.from(ev.equity));
  });

  it('with the risk gate (per-bar state) or another strategy, the event engine runs', async () => {
    expect((await backtest(app, req)).engine).toBe('fast');
    expect((await backtest(app, { ...req, strategy: 'rsi-reversion', params: {}, risk: false })).engine).toBe('fast');
  });
});

describe('the fill list of a whole backtest', () => {
  // 0.01 % of each bar's volume: some entries take several bars (the rest carried).
  const thin: BacktestRequest = { ...req, settings: { fillModel: { ...DEFAULT_FILL_MODEL, participation: 0.0001 } } };
  const noted = (notes: string[]) => Number(/^(\d+) entry fills took less than their order/m.exec(notes.join('\n'))?.[1] ?? 0);

  it.each([
    ['the event engine', thin],
    // The execution path reads the venue's fills as they happen (the venue keeps none of them).
    // The rules provider's entries are smaller: 0.001 % of a bar's volume splits some of them.
    ['the execution path', { ...req, strategy: undefined, params: undefined, provider: 'rules', end: Date.UTC(2024, 3, 1), settings: { fillModel: { ...DEFAULT_FILL_MODEL, participation: 0.00001 } } }],
  ])('%s: is not kept unless asked for (no caller reads it; a 1 M-bar run made 770 k), yet the partial entries are still counted', async (_, r: BacktestRequest) => {
    const lean = await backtest(app, r);
    const kept = await backtest(app, r, { recordFills: true });
    expect(lean.fills).toEqual([]);
    const partial = kept.fills.filter((f) => f.partial).length;
    expect(partial).toBeGreaterThan(0);
    expect([lean.partialFills, noted(lean.notes), noted(kept.notes)]).toEqual([partial, partial, partial]);
    // The run itself is the same either way.
    expect(lean.trades).toEqual(kept.trades);
    expect(Array.from(lean.equity)).toEqual(Array.from(kept.equity));
  });
});
