import { describe, expect, it } from 'vitest';
import { engineSettings } from '../app/container.js';
import { configSchema } from '../config/schema.js';
import { fromColumns, resample } from '../core/candle.js';
import { ManualClock } from '../core/clock.js';
import { TIMEFRAME_MS } from '../core/timeframe.js';
import { AnalysisEngine } from '../engine/analysis-engine.js';
import type { AnalysisContext, ProviderResult } from '../providers/port.js';
import { RulesProvider } from '../providers/rules/rules-provider.js';
import type { MarketData } from '../data/port.js';
import type { DecisionRepository } from '../store/port.js';
import { runBacktest } from './engine.js';
import { PointInTimeFeed } from './feed.js';
import { ProviderSource } from './provider-source.js';
import { randomWalk, singlePair } from './synthetic.js';
import { DEFAULT_SETTINGS } from './types.js';

const settings = engineSettings(configSchema.parse({}));
const H = TIMEFRAME_MS['1h'];

describe('the fast book’s bar contexts', () => {
  it('read during the call, they equal the written context; fixed, they keep the bar’s book; read later unfixed, they throw', async () => {
    const hours = randomWalk(3000, { seed: 11, vol: 0.01, price: 30_000, timeframe: '1h' });
    const data = singlePair(hours, 'BTCUSD', '1h', 300);
    const candles = fromColumns(hours);
    const feed = new PointInTimeFeed('BTCUSD', { '1h': { candles }, '4h': { candles: resample(candles, '1h', '4h') }, '1d': { candles: resample(candles, '1h', '1d') } }, 300);
    const rules = new RulesProvider();
    let src: ProviderSource | null = null;
    const engine = new AnalysisEngine({
      marketData: {} as MarketData,
      decisions: {} as DecisionRepository,
      resolveProvider: () => rules,
      fallbackProvider: null,
      clock: new ManualClock(0),
      settings,
      account: { balance: async () => src!.currentBook!.equity(), positions: async () => src!.positions() },
    });
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
          expect(json).toBe(JSON.stringify(src!.analysisAt(0, i, ctx.asOf).context));
          if (ctx.positions.length) held++;
          if (calls % 5 === 0) {
            (ctx as unknown as { fix(): void }).fix();
            fixed.push({ ctx, json });
          }
        } else if (calls % 7 === 3) unfixed = ctx;
        return rules.decideNow(ctx);
      },
    };
    src = new ProviderSource(data, { provider: spy, engine, feeds: [feed], costs: settings.costs, freshness: settings.freshness });
    const result = await runBacktest(data, src, { ...DEFAULT_SETTINGS, timeframe: '1h' });
    // Contexts were compared while positions were held, and the book changed after them.
    expect(result.trades.length).toBeGreaterThan(2);
    expect(held).toBeGreaterThan(5);
    expect(fixed.length).toBeGreaterThan(10);
    for (const f of fixed) expect(JSON.stringify(f.ctx)).toBe(f.json);
    expect(() => unfixed!.positions).toThrow(/moved on/);
    expect(() => unfixed!.marketStatus).toThrow(/moved on/);
  });
});
