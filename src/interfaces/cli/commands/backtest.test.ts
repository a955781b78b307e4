import { once } from 'node:events';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { BacktestResult } from '../../../application/types.js';
import { printResultJson, requestFromFlags, resultJson, type RunFlags } from './backtest.js';

const flags = (o: Partial<RunFlags>): RunFlags => ({ start: '2024-01-01', end: '2024-03-01', param: [], risk: true, ...o });

describe('backtest flags', () => {
  it("risk parameters in --param set the run for any source; the rest are the strategy's", () => {
    const p = requestFromFlags('BTCUSD', flags({ provider: 'rules', param: ['stop_loss=0.03', 'risk_fraction=0.02', 'take_profit=0.1'] }));
    expect(p.settings).toMatchObject({ stopLoss: 0.03, riskFraction: 0.02, takeProfit: 0.1 });
    expect(p.params).toEqual({});
    const s = requestFromFlags('BTCUSD', flags({ strategy: 'sma-cross', param: ['fast=5', 'stop_loss=0.04'] }));
    expect([s.params, s.settings?.stopLoss]).toEqual([{ fast: 5 }, 0.04]);
  });

  it('refuses a strategy parameter without --strategy, a risk value out of range, and the same setting given twice, naming the flag', () => {
    expect(() => requestFromFlags('BTCUSD', flags({ provider: 'rules', param: ['fast=5'] }))).toThrow(/--param fast applies to --strategy/);
    expect(() => requestFromFlags('BTCUSD', flags({ provider: 'rules', param: ['stop_loss=2'] }))).toThrow(/--param stop_loss=2 is outside \[0.001, 0.5\]/);
    expect(() => requestFromFlags('BTCUSD', flags({ provider: 'rules', param: ['take_profit=0.1'], takeProfit: '0.2' }))).toThrow(/--take-profit and --param take_profit both set/);
    expect(() => requestFromFlags('BTCUSD', flags({ provider: 'rules', param: ['stop_loss=0.01', 'stop_loss=0.03'] }))).toThrow(/--param stop_loss is given twice \(0.01 and 0.03\)/);
  });
});

describe('backtest --json', () => {
  /** What a stream was sent; a small buffer, so the writer meets back-pressure. */
  const sink = () => {
    const parts: string[] = [];
    const out = new Writable({ highWaterMark: 1024, write: (chunk: Buffer, _e, done) => void (parts.push(chunk.toString()), setImmediate(done)) });
    return { out, text: () => parts.join('') };
  };
  const result = (n: number) => {
    const times = Float64Array.from({ length: n }, (_, i) => 1_700_000_000_000 + i * 60_000);
    const equity = Float64Array.from({ length: n }, (_, i) => (i === 1 ? -0 : i === 2 ? NaN : 10_000 + i / 3));
    const trades = Array.from({ length: Math.min(n, 2_500) }, (_, k) => ({
      pair: 'BTCUSD',
      side: 'long',
      entryTime: times[k],
      exitTime: times[k],
      exitReason: 'signal',
      note: 'a "quoted" word\nand a line',
      tags: ['x', { y: k }],
    }));
    return {
      pairs: ['BTCUSD'],
      timeframe: '1m',
      start: 0,
      end: 1,
      source: 'sma-cross(10,30)',
      engine: 'fast',
      settings: { feeRate: 0.001 },
      metrics: { finalEquity: 1 },
      notes: ['n'],
      rejections: [],
      trades,
      fills: [],
      times,
      equity,
      cash: 1,
    } as unknown as BacktestResult;
  };

  it.each([0, 1, 3, 25_001])('prints exactly what JSON.stringify of resultJson prints, trades and curve a chunk at a time (%i points)', async (n) => {
    const r = result(n);
    const s = sink();
    await printResultJson(r, s.out);
    s.out.end();
    await once(s.out, 'finish');
    expect(s.text()).toBe(`${JSON.stringify(resultJson(r), null, 2)}\n`);
  });
});
