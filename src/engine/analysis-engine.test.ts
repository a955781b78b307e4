import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, engineSettings, type App } from '../app/container.js';
import { BundledMarketData, defaultBundledDir } from '../data/bundled/adapter.js';
import type { MarketData } from '../data/port.js';
import type { ProviderResult } from '../providers/port.js';
import { ManualClock } from '../core/clock.js';
import { knownTimestampMs, type Decision } from '../core/decision.js';
import { FfeError } from '../core/errors.js';
import type { FundamentalRecord } from '../core/fundamentals.js';
import type { NewsSource } from '../data/port.js';
import { decisionText } from '../interfaces/cli/commands/analyze.js';
import { RulesProvider } from '../providers/rules/rules-provider.js';
import { AnalysisEngine } from './analysis-engine.js';

let app: App;
beforeAll(async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'ffe-engine-'));
  app = await createApp({ cwd, env: { FFE_HOME: cwd } });
});
afterAll(() => app.close());

describe('AnalysisEngine on bundled data', () => {
  it('is deterministic for the same data and time', async () => {
    const a = await app.engine.analyze('BTCUSD', { persist: false });
    const b = await app.engine.analyze('BTCUSD', { persist: false });
    expect([a.action, a.confidence, a.reasoning]).toEqual([b.action, b.confidence, b.reasoning]);
  });

  it('sizes risk over the ATR stop (sizing.stop_rule atr): 1 % of balance lost at the stop', async () => {
    // No concentration cap in the way, so the size is the risk rule's alone.
    const atrApp = await createApp({ cwd: mkdtempSync(join(tmpdir(), 'ffe-engine-')), env: { SIZING_STOP_RULE: 'atr', RISK_MAX_CONCENTRATION: '1' } });
    try {
      const d = await atrApp.engine.analyze('ETHUSD', { persist: false });
      expect(d.action).not.toBe('HOLD');
      const loss = d.suggestedSizeUnits * d.entryPrice * d.stopLossFraction;
      expect(loss).toBeCloseTo(10_000 * 0.01, 6);
      const atr = d.pulse.timeframes.find((f) => f.timeframe === '1d')!.indicators!.atr;
      expect(d.stopLossFraction).toBeCloseTo(Math.min(0.05, Math.max(0.01, (2 * atr) / d.entryPrice)), 12);
      const dir = d.action === 'BUY' ? 1 : -1;
      expect(d.stopLossPrice).toBeCloseTo(d.entryPrice * (1 - dir * d.stopLossFraction), 8);
    } finally {
      await atrApp.close();
    }
  });

  it('by default the stop is sizing.stop_loss from entry, the target sizing.take_profit, and the size fits the concentration limit', async () => {
    const d = await app.engine.analyze('ETHUSD', { persist: false });
    expect(d.action).not.toBe('HOLD');
    expect([d.stopLossFraction, d.takeProfitFraction, d.riskFraction]).toEqual([0.02, 0.05, 0.01]);
    const dir = d.action === 'BUY' ? 1 : -1;
    expect(d.takeProfitPrice).toBeCloseTo(d.entryPrice * (1 + dir * 0.05), 8);
    // 1 % risked over a 2 % stop would be half the equity: capped at 95 % of max_concentration 0.25.
    expect(d.suggestedSizeQuote).toBeCloseTo(10_000 * 0.25 * 0.95, 6);
  });

  it('forces HOLD below the decision threshold and says why', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ffe-engine-'));
    const strict = await createApp({ cwd, env: { FFE_HOME: cwd, DECISION_ENGINE_DECISION_THRESHOLD: '0.99' } });
    try {
      const d = await strict.engine.analyze('ETHUSD', { persist: false });
      expect(d.signal.action).not.toBe('HOLD');
      expect(d.action).toBe('HOLD');
      expect(d.gates[0]).toMatch(/below the decision threshold 99/);
      expect(d.suggestedSizeUnits).toBe(0);
    } finally {
      await strict.close();
    }
  });

  it('says beforehand when its gates will force a HOLD (forcesHold), as decide then does', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ffe-engine-'));
    const strict = await createApp({ cwd, env: { FFE_HOME: cwd, DECISION_ENGINE_DECISION_THRESHOLD: '0.7' } });
    try {
      const { context } = await strict.engine.gather('ETHUSD');
      const provider = new RulesProvider('fixed');
      for (const confidence of [69, 70, 71]) {
        const signal = { action: 'BUY' as const, confidence, reasoning: 'fixed' };
        const d = await strict.engine.decide({ context, market: {} as never, candles: {} }, provider, { ok: true, signal, latencyMs: 0 });
        expect(strict.engine.forcesHold(context, signal)).toBe(d.action === 'HOLD');
        expect(d.action).toBe(confidence < 70 ? 'HOLD' : 'BUY');
      }
      expect(strict.engine.forcesHold({ ...context, marketStatus: { isOpen: false, session: 'Closed', reason: 'test' } }, { action: 'BUY', confidence: 90, reasoning: '' })).toBe(true);
      // Each of the three gates alone, checked against decide's record (forcesHold no longer writes their texts).
      const stale = { ...context, freshness: { ...context.freshness, isFresh: false, warning: 'test' } };
      const holdLow = { action: 'HOLD' as const, confidence: 10, reasoning: '' };
      for (const [ctx, signal] of [
        [stale, { action: 'BUY' as const, confidence: 90, reasoning: '' }],
        [context, holdLow],
        [context, { action: 'SELL' as const, confidence: 90, reasoning: '' }],
      ] as const) {
        const d = await strict.engine.decide({ context: ctx, market: {} as never, candles: {} }, provider, { ok: true, signal, latencyMs: 0 });
        expect(strict.engine.forcesHold(ctx, signal)).toBe(d.gates.length > 0);
      }
      expect(strict.engine.forcesHold(stale, holdLow)).toBe(true);
      expect(strict.engine.forcesHold(context, holdLow)).toBe(false);
    } finally {
      await strict.close();
    }
  });

  it('decideNow, given the equity the account reports, writes the record decide writes (but its id)', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ffe-engine-'));
    const strict = await createApp({ cwd, env: { FFE_HOME: cwd, DECISION_ENGINE_DECISION_THRESHOLD: '0.7' } });
    try {
      const analysis = await strict.engine.gather('ETHUSD');
      const provider = new RulesProvider('fixed');
      const equity = await strict.account.engineView().balance('ETHUSD');
      // A trade, a provider's HOLD and a HOLD the threshold forces: sized, unsized, unsized.
      for (const signal of [
        { action: 'SELL' as const, confidence: 80, reasoning: 'fixed', stopLossFraction: 0.03 },
        { action: 'HOLD' as const, confidence: 80, reasoning: 'fixed' },
        { action: 'BUY' as const, confidence: 60, reasoning: 'fixed' },
      ]) {
        const result = { ok: true as const, signal, latencyMs: 0, metadata: { note: 1 } };
        const { id: a, ...later } = await strict.engine.decide(analysis, provider, result);
        const record = strict.engine.decideNow(analysis, provider, result, equity);
        // Every field read through the (lazy) record is decide's, and so is its serialised form, key for key.
        const { id: b, ...now } = Object.fromEntries(Object.keys({ id: a, ...later }).map((k) => [k, record[k as keyof Decision]]));
        expect(now).toEqual(later);
        expect(b).not.toBe(a);
        expect(record.id).toBe(b);
        expect(JSON.stringify(record)).toBe(JSON.stringify({ id: b, ...later }));
        // Its time in ms is the text's, and no copy carries it.
        expect(knownTimestampMs(record)).toBe(Date.parse(record.timestamp));
        expect(knownTimestampMs({ ...record })).toBeUndefined();
      }
      expect(strict.engine.decideNow(analysis, provider, { ok: true, signal: { action: 'SELL', confidence: 80, reasoning: '' }, latencyMs: 0 }, equity).suggestedSizeUnits).toBeGreaterThan(0);
    } finally {
      await strict.close();
    }
  });

  it('forces HOLD when forex is closed (Saturday)', async () => {
    const d = await app.engine.analyze('EURUSD', { asOf: Date.parse('2014-12-20T12:00:00Z'), persist: false });
    expect(d.action).toBe('HOLD');
    expect(d.marketStatus.isOpen).toBe(false);
    expect(d.gates.join()).toMatch(/market closed/);
  });

  it('forces HOLD on stale data', async () => {
    // Ask about a moment 20 minutes after the last BTC bar: the quote is then 20 minutes old.
    const asOf = Date.parse('2025-01-01T00:20:00Z');
    const d = await app.engine.analyze('BTCUSD', { asOf, persist: false });
    expect(d.freshness.isFresh).toBe(false);
    expect(d.action).toBe('HOLD');
    expect(d.gates.join()).toMatch(/stale data/);
  });

  it('never reads past its decision time: rewriting every bar after t changes nothing at t', async () => {
    const t = Date.parse('2024-12-15T12:00:00Z');
    const dir = mkdtempSync(join(tmpdir(), 'ffe-future-'));
    cpSync(defaultBundledDir(), dir, { recursive: true });
    for (const f of ['BTCUSD/1m.csv', 'BTCUSD/1h.csv', 'BTCUSD/1d.csv']) {
      const lines = readFileSync(join(dir, f), 'utf8').trim().split('\n');
      const rewritten = lines.map((line, i) => {
        const c = line.split(',');
        if (i === 0 || Date.parse(c[0]) < t) return line;
        // A different future: prices tripled, volume zeroed.
        return [c[0], ...c.slice(1, 5).map((x) => String(Number(x) * 3)), '0'].join(',');
      });
      writeFileSync(join(dir, f), `${rewritten.join('\n')}\n`);
    }
    const engineOver = (marketData: MarketData) =>
      new AnalysisEngine({
        marketData,
        decisions: app.store.decisions,
        resolveProvider: (n) => app.providers.get(n)!,
        fallbackProvider: null,
        clock: app.clock,
        settings: engineSettings(app.config),
        account: { balance: async () => 10_000, positions: async () => [] },
      });
    for (const asOf of [t, t - 3_600_000, t - 86_400_000 * 3]) {
      const real = await engineOver(new BundledMarketData()).analyze('BTCUSD', { asOf, persist: false });
      const altered = await engineOver(new BundledMarketData(dir)).analyze('BTCUSD', { asOf, persist: false });
      expect([altered.action, altered.confidence, altered.reasoning, altered.entryPrice]).toEqual([real.action, real.confidence, real.reasoning, real.entryPrice]);
      expect(altered.pulse).toEqual(real.pulse);
    }
    // And the rewrite is visible after t, so the comparison above is not vacuous.
    const later = t + 86_400_000 * 2;
    const realLater = await engineOver(new BundledMarketData()).analyze('BTCUSD', { asOf: later, persist: false });
    const alteredLater = await engineOver(new BundledMarketData(dir)).analyze('BTCUSD', { asOf: later, persist: false });
    expect(alteredLater.entryPrice).toBeCloseTo(realLater.entryPrice * 3, 6);
  });

  it('falls back to the rules provider when the chosen provider fails, and marks the decision degraded', async () => {
    const failing = { name: 'broken', kind: 'test', model: 'x', decide: async (): Promise<ProviderResult> => ({ ok: false, code: 'HTTP', reason: 'HTTP 500 from server', latencyMs: 3 }) };
    app.providers.set('broken', failing);
    const d = await app.engine.analyze('BTCUSD', { provider: 'broken', persist: false });
    expect(d.provider).toBe('rules');
    expect(d.metadata.degraded).toBe(true);
    expect(d.metadata.providerFailure).toEqual({ provider: 'broken', code: 'HTTP', reason: 'HTTP 500 from server' });
    app.providers.delete('broken');
  });
});

describe('AnalysisEngine uses what it is given', () => {
  const engineWith = (over: { clock?: ManualClock; news?: NewsSource; newsItems?: number; provider?: ProviderResult }) =>
    new AnalysisEngine({
      marketData: new BundledMarketData(),
      decisions: app.store.decisions,
      resolveProvider: (n) => (over.provider ? { name: 'scripted', kind: 'test', model: null, decide: async () => over.provider! } : app.providers.get(n)!),
      fallbackProvider: app.providers.get('rules')!,
      clock: over.clock ?? app.clock,
      settings: { ...engineSettings(app.config), newsItems: over.newsItems ?? 10 },
      account: { balance: async () => 10_000, positions: async () => [] },
      news: over.news,
    });

  it('stamps createdAt with the injected clock, not the wall clock', async () => {
    const t = Date.parse('2031-05-06T07:08:09Z');
    const d = await engineWith({ clock: new ManualClock(t) }).analyze('BTCUSD', { persist: false });
    expect(d.createdAt).toBe('2031-05-06T07:08:09.000Z');
  });

  it('asks the news source for news.max_items items', async () => {
    const asked: (number | undefined)[] = [];
    const news: NewsSource = { name: 'recorded', news: async (_pair, _at, limit) => (asked.push(limit), []) };
    await engineWith({ news, newsItems: 3 }).analyze('BTCUSD', { persist: false });
    expect(asked).toEqual([3]);
  });

  it('a strict cassette miss fails the analysis (provider error, exit 1) instead of falling back; nothing is stored', async () => {
    const before = (await app.store.decisions.list({ limit: 1000 })).length;
    const miss: ProviderResult = { ok: false, code: 'REPLAY_MISS', reason: 'no recorded answer of scripted for this request', latencyMs: 0 };
    const err = await engineWith({ provider: miss })
      .analyze('BTCUSD')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FfeError);
    expect(err).toMatchObject({ code: 'REPLAY_MISS', exitCode: 1 });
    expect((err as Error).message).toMatch(/cassette miss .*scripted: no recorded answer/);
    expect((await app.store.decisions.list({ limit: 1000 })).length).toBe(before);
  });

  it('so does a miss of one ensemble member', async () => {
    const answer: ProviderResult = {
      ok: true,
      signal: { action: 'HOLD', confidence: 50, reasoning: 'r' },
      latencyMs: 0,
      metadata: { providers_failed: [{ provider: 'llm', code: 'REPLAY_MISS', reason: 'no recorded answer of llm' }] },
    };
    await expect(engineWith({ provider: answer }).analyze('BTCUSD', { persist: false })).rejects.toMatchObject({ code: 'REPLAY_MISS' });
  });
});

describe('AnalysisEngine: fundamentals in the pulse', () => {
  // SPY is the bundled stock series (an ETF: these records are test data under its ticker, to
  // reach the engine's stock path offline). BTCUSD gets records too, and must not show them.
  const record = (symbol: string, periodEnd: string, reportedDate: string, eps: number): FundamentalRecord => ({
    symbol,
    kind: 'earnings_quarterly',
    periodEnd,
    reportedDate,
    visibleFrom: Date.parse(`${reportedDate}T22:00:00Z`),
    fetchedAt: Date.parse('2021-04-01T00:00:00Z'),
    source: 'alpha-vantage',
    values: { reportedEps: eps, estimatedEps: eps - 0.1, surprise: 0.1, surprisePercent: 5 },
  });

  it('a stock decision carries the section of the reports visible at its time; crypto none', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ffe-engine-'));
    const own = await createApp({ cwd, env: { FFE_HOME: cwd } });
    try {
      const quarters: [string, string, number][] = [
        ['2020-03-31', '2020-04-20', 3.1],
        ['2020-06-30', '2020-07-20', 3.2],
        ['2020-09-30', '2020-10-20', 3.3],
        ['2020-12-31', '2021-01-20', 3.4],
      ];
      await own.store.fundamentals.save([...quarters.map(([p, r, e]) => record('SPY', p, r, e)), record('BTCUSD', '2020-12-31', '2021-01-20', 1)]);
      const late = await own.engine.analyze('SPY', { persist: false });
      expect(late.pulse.fundamentals?.surprises.map((s) => s.fiscalDateEnding)).toEqual(['2020-12-31', '2020-09-30', '2020-06-30', '2020-03-31']);
      expect(late.pulse.fundamentals?.valuation.pe).toBeCloseTo(late.entryPrice / 13, 10);
      expect(decisionText(late, true)).toContain(`fundamentals (newest report 2021-01-20): P/E ${(late.entryPrice / 13).toFixed(2)}, revenue YoY -, EPS YoY -, last surprise 5.00% (2021-01-20)`);
      expect(decisionText(late, false)).not.toContain('fundamentals');
      const before = await own.engine.analyze('SPY', { asOf: Date.parse('2021-01-20T21:00:00Z'), persist: false });
      expect(before.pulse.fundamentals?.surprises[0].fiscalDateEnding).toBe('2020-09-30');
      expect(before.pulse.fundamentals?.valuation.pe).toBeNull();
      const none = await own.engine.analyze('SPY', { asOf: Date.parse('2020-04-01T21:00:00Z'), persist: false });
      expect(none.pulse).not.toHaveProperty('fundamentals');
      const btc = await own.engine.analyze('BTCUSD', { persist: false });
      expect(btc.pulse).not.toHaveProperty('fundamentals');
    } finally {
      await own.close();
    }
  });
});
