import { describe, expect, it } from 'vitest';
import { engineSettings } from '../app/container.js';
import { configSchema } from '../config/schema.js';
import { fromColumns, resample } from '../core/candle.js';
import { TIMEFRAME_MS } from '../core/timeframe.js';
import type { AnalysisContext, ProviderResult } from '../providers/port.js';
import { RulesProvider } from '../providers/rules/rules-provider.js';
import { runBacktest } from './engine.js';
import { providerSource } from './provider-run.js';
import { randomWalk, singlePair } from './synthetic.js';
import { DEFAULT_SETTINGS } from './types.js';

const settings = engineSettings(configSchema.parse({}));
const H = TIMEFRAME_MS['1h'];

describe('the fast book’s bar contexts', () => {
  it('read during the call, they equal the written context; fixed, they keep the bar’s book; read later unfixed, they throw', async () => {
    const hours = randomWalk(3000, { seed: 11, vol: 0.01, price: 30_000, timeframe: '1h' });
    const data = singlePair(hours, 'BTCUSD', '1h', 300);
    const candles = fromColumns(hours);
    const frames = { '1h': { candles }, '4h': { candles: resample(candles, '1h', '4h') }, '1d': { candles: resample(candles, '1h', '1d') } };
    const rules = new RulesProvider();
    let calls = 0;
    let held = 0;
    let unfixed: AnalysisContext | null = null;
    const fixed: { ctx: AnalysisContext; json: string }[] = [];
    const spy = {
      name: 'rules',
      kind: 'rules',
      model: null,
      decide: (ctx: AnalysisContext) => rules.decide(ctx),
      decideNow(ctx: AnalysisContext): ProviderResult {
        calls++;
        if (calls % 7 === 0) {
          // The same keys, in order, and values as the context written at once for the same bar and moment.
          const i = hours.timestamp.indexOf(ctx.asOf - H);
          const json = JSON.stringify(ctx);
          expect(json).toBe(JSON.stringify(src.analysisAt(0, i, ctx.asOf).context));
          if (ctx.positions.length) held++;
          if (calls % 5 === 0) {
            (ctx as unknown as { fix(): void }).fix();
            fixed.push({ ctx, json });
          }
        } else if (calls % 7 === 3) unfixed = ctx;
        return rules.decideNow(ctx);
      },
    };
    const run = { ...DEFAULT_SETTINGS, timeframe: '1h' as const };
    const src = providerSource({ name: 'rules', kind: 'rules', frames: [frames], historyBars: 300, engine: settings }, spy, data, run);
    const result = await runBacktest(data, src, run);
    // Contexts were compared while positions were held, and the book changed after them.
    expect(result.trades.length).toBeGreaterThan(2);
    expect(held).toBeGreaterThan(5);
    expect(fixed.length).toBeGreaterThan(10);
    for (const f of fixed) expect(JSON.stringify(f.ctx)).toBe(f.json);
    expect(() => unfixed!.positions).toThrow(/moved on/);
    expect(() => unfixed!.marketStatus).toThrow(/moved on/);
  });
});
