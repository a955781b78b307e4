import { describe, expect, it } from 'vitest';
import { requestFromFlags, type RunFlags } from './backtest.js';

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
