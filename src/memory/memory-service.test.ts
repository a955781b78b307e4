import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import type { Decision } from '../core/decision.js';
import { openSqlite, type OpenedSqlite } from '../store/sqlite/database.js';
import { SqliteMemoryRepository } from '../store/sqlite/memory-repository.js';
import { PortfolioMemory, type MemorySettings } from './memory-service.js';
import type { ClosedTrade } from './outcome.js';

// At α 0.3 (evidence 1/0.3 = 3.33) the gate opens after 3 calls all right: E⁺ = 2·2ⁿ/(n+1)·(1 − 2⁻⁽ⁿ⁺¹⁾) is 2.33 at n = 2, 3.75 at n = 3.
const settings: MemorySettings = {
  gateAlpha: 0.3,
  priorStrength: 2,
  minWeight: 0.01,
  changeEpsilon: 0.001,
  perRegime: false,
  frozen: false,
  summaryWindow: 20,
  calibratedConfidence: false,
  calibrationMinSamples: 30,
};
const base = { good: 0.5, bad: 0.5 };

function decision(regime: string, up: boolean): Decision {
  return {
    id: `d-${Math.random()}`,
    confidence: 72,
    stopLossPrice: 98,
    regime: { regime },
    provider: 'ensemble',
    signal: { action: 'BUY', confidence: 72 },
    metadata: {
      provider_votes: [
        { provider: 'good', action: up ? 'BUY' : 'SELL', confidence: 80 },
        { provider: 'bad', action: up ? 'SELL' : 'BUY', confidence: 60 },
      ],
    },
  } as unknown as Decision;
}

const trade = (i: number, up: boolean): ClosedTrade => ({
  tradeId: `pos-${i}`,
  decisionId: `d${i}`,
  pair: 'BTCUSD',
  side: 'long',
  units: 2,
  entryPrice: 100,
  exitPrice: up ? 103 : 97,
  openedAt: 0,
  closedAt: 3_600_000,
  fees: 0.4,
  exitReason: up ? 'take_profit' : 'stop_loss',
  stopLossPrice: null,
});

describe('PortfolioMemory', () => {
  let sqlite: OpenedSqlite;
  let repo: SqliteMemoryRepository;
  const clock = new ManualClock(Date.parse('2024-03-01T00:00:00Z'));
  beforeEach(async () => {
    sqlite = await openSqlite(':memory:');
    repo = new SqliteMemoryRepository(sqlite);
  });
  afterEach(() => sqlite.db.destroy());

  it('records an outcome once with P&L after fees, return, R multiple and the votes', async () => {
    const m = new PortfolioMemory(repo, clock, () => base, settings);
    const o = await m.record(trade(1, true), decision('TRENDING_UP', true));
    expect(o).toMatchObject({
      pnl: expect.closeTo(5.6, 10),
      returnFraction: expect.closeTo(0.028, 10),
      rMultiple: expect.closeTo(1.4, 10),
      holdingMs: 3_600_000,
      regime: 'TRENDING_UP',
      exitReason: 'take_profit',
      confidence: 72,
    });
    expect(o!.votes.map((v) => v.provider)).toEqual(['good', 'bad']);
    expect(await m.record(trade(1, true), decision('TRENDING_UP', true))).toBeNull();
    expect(await repo.outcomes()).toHaveLength(1);
  });

  it('writes a weight change with its reason only once the sequential test decides, and serves it', async () => {
    const m = new PortfolioMemory(repo, clock, () => base, settings);
    for (let i = 0; i < 2; i++) await m.record(trade(i, i % 2 === 0), decision('RANGING', i % 2 === 0));
    expect(await m.learn()).toEqual([]);
    expect(await m.weights()).toEqual(base);
    await m.record(trade(2, true), decision('RANGING', true));
    const [change] = await m.learn();
    expect(change.previous).toEqual(base);
    expect(change.weights.good).toBeGreaterThan(0.5);
    expect(change.reason).toContain('good: 3/3 right, P(hit>0.5)=0.938 after 3 calls, evidence 3.8 ≥ 3.3 (promote)');
    expect(await m.weights()).toEqual(change.weights);
    expect(await m.learn()).toEqual([]);
    expect((await repo.weightChanges()).map((c) => c.outcomes)).toEqual([3]);
  });

  it('keeps the configured weights when frozen, and learns per regime when asked', async () => {
    const frozen = new PortfolioMemory(repo, clock, () => base, { ...settings, frozen: true });
    for (let i = 0; i < 4; i++) await frozen.record(trade(i, true), decision(i < 3 ? 'TRENDING_UP' : 'RANGING', true));
    expect(await frozen.learn()).toEqual([]);
    expect(await frozen.weights()).toEqual(base);
    const regimes = new PortfolioMemory(repo, clock, () => base, { ...settings, perRegime: true });
    const scopes = (await regimes.learn()).map((c) => c.scope).sort();
    expect(scopes).toEqual(['TRENDING_UP', 'all']);
    expect((await regimes.weights('RANGING')).good).toBe((await regimes.weights()).good);
    expect(await regimes.weights('TRENDING_UP')).not.toEqual(base);
  });

  it('summarises recent results and the regime for the analysis context', async () => {
    const m = new PortfolioMemory(repo, clock, () => base, settings);
    expect(await m.summary('BTCUSD', 'RANGING')).toBeNull();
    await m.record(trade(1, true), decision('RANGING', true));
    await m.record(trade(2, false), decision('RANGING', false));
    const s = (await m.summary('BTCUSD', 'RANGING'))!;
    expect(s).toContain('Last 2 closed trades: win rate 50.0%');
    expect(s).toContain('streak 1 loss');
    expect(s).toContain('In RANGING: 2 trades');
    expect(await m.summary('BTCUSD', 'VOLATILE')).toContain('No closed trades yet in the VOLATILE regime');
  });

  it('learns from measured recommendations as a second sample in the all-regime weights, labelled in the reason', async () => {
    const samples = Array.from({ length: 8 }, () => [
      { provider: 'good', ret: 0.02 },
      { provider: 'bad', ret: -0.02 },
    ]).flat();
    const m = new PortfolioMemory(
      repo,
      clock,
      () => base,
      { ...settings, perRegime: true },
      async () => ({ factor: 0.5, samples }),
    );
    const changes = await m.learn();
    // 8 recommendations at 0.5 are 4 calls in the test (E⁺ 6.2 ≥ 3.33); no trade yet, so no regime scope.
    expect(changes.map((c) => c.scope)).toEqual(['all']);
    expect(changes[0].weights.good).toBeGreaterThan(0.5);
    expect(changes[0].outcomes).toBe(0);
    expect(changes[0].reason).toContain('good: 0/0 right + 8/8 recommendations right (each ×0.5)');
  });

  it('learns confidence maps from the outcomes and serves them only when asked for and with enough calls', async () => {
    // good says 80 and is right 3 times of 3; bad says 60 and is wrong every time.
    const off = new PortfolioMemory(repo, clock, () => base, { ...settings, calibrationMinSamples: 3 });
    for (let i = 0; i < 3; i++) await off.record(trade(i, true), decision('RANGING', true));
    expect(await off.confidenceMaps()).toEqual({});
    const on = new PortfolioMemory(repo, clock, () => base, { ...settings, calibratedConfidence: true, calibrationMinSamples: 3 });
    const maps = await on.confidenceMaps();
    expect(maps.good(80)).toBeCloseTo(80, 10); // (3 + 1) / (3 + 2)
    expect(maps.bad(60)).toBeCloseTo(20, 10); // (0 + 1) / (3 + 2)
    expect((await on.calibration()).map((c) => [c.provider, c.samples, c.usable])).toEqual([
      ['bad', 3, true],
      ['good', 3, true],
    ]);
    const few = new PortfolioMemory(repo, clock, () => base, { ...settings, calibratedConfidence: true, calibrationMinSamples: 4 });
    expect(await few.confidenceMaps()).toEqual({});
    // A new outcome is learned from at once (the cached maps are dropped).
    await few.record(trade(3, true), decision('RANGING', true));
    expect(Object.keys(await few.confidenceMaps()).sort()).toEqual(['bad', 'good']);
    expect(await new PortfolioMemory(repo, clock, () => base, { ...settings, calibratedConfidence: true, calibrationMinSamples: 3, frozen: true }).confidenceMaps()).toEqual({});
  });
});
