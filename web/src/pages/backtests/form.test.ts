import { describe, expect, it } from 'vitest';
import { buildJob, DEFAULT_FORM, type JobForm } from './form';

const form = (o: Partial<JobForm>): JobForm => ({ ...DEFAULT_FORM, ...o });

describe('job form → request body per kind', () => {
  it('backtest: the shared fields, strategy parameters, nothing of the other kinds', () => {
    const r = buildJob(form({ kind: 'backtest', pairs: 'btcusd', timeframe: '4h', stopLoss: '0.02', params: 'fast=10, slow=30' }));
    expect(r.body).toEqual({ kind: 'backtest', params: { asset_pair: 'BTCUSD', from: '2024-01-01', to: '2024-03-01', timeframe: '4h', strategy: 'sma-cross', stop_loss: 0.02, params: { fast: 10, slow: 30 } } });
  });

  it('walk-forward: search options, ranges, train ratio, windows, anchored', () => {
    const r = buildJob(form({ kind: 'walk_forward', pairs: 'BTCUSD, ETHUSD', paramRanges: 'fast=5:20:5; slow=20,30', anchored: true, windows: '4', trainRatio: '0.6' }));
    expect(r.body).toEqual({
      kind: 'walk_forward',
      params: {
        asset_pair: ['BTCUSD', 'ETHUSD'],
        from: '2024-01-01',
        to: '2024-03-01',
        strategy: 'sma-cross',
        method: 'grid',
        samples: 40,
        objective: 'sharpe',
        seed: 1,
        param_ranges: ['fast=5:20:5', 'slow=20,30'],
        train_ratio: 0.6,
        windows: 4,
        anchored: true,
      },
    });
  });

  it('Monte Carlo: simulations, noise, seed; a provider as the source', () => {
    const r = buildJob(form({ kind: 'monte_carlo', source: 'provider:ensemble', simulations: '500', noise: '0.02', seed: '7' }));
    expect(r.body).toEqual({ kind: 'monte_carlo', params: { asset_pair: 'BTCUSD', from: '2024-01-01', to: '2024-03-01', provider: 'ensemble', simulations: 500, noise: 0.02, seed: 7 } });
  });

  it('optimisation: search options and no walk-forward or Monte Carlo fields', () => {
    const r = buildJob(form({ kind: 'optimize', method: 'random', samples: '25', objective: 'sortino' }));
    expect(r.body?.params).toEqual({ asset_pair: 'BTCUSD', from: '2024-01-01', to: '2024-03-01', strategy: 'sma-cross', method: 'random', samples: 25, objective: 'sortino', seed: 1 });
  });

  it('validation names each bad field and sends nothing', () => {
    const r = buildJob(form({ kind: 'monte_carlo', pairs: ' , ', from: '2024-05-01', to: '2024-04-01', simulations: '1.5', noise: '0.7', fee: 'x', params: 'fast' }));
    expect(r.body).toBeNull();
    expect(r.errors).toEqual({ pairs: 'at least one pair', to: 'after the start', simulations: 'a whole number', noise: 'below 0.5', fee: 'a number', params: 'name=value pairs, e.g. fast=10, slow=30' });
    expect(buildJob(form({ kind: 'walk_forward', trainRatio: '1', windows: '0' })).errors).toEqual({ trainRatio: 'below 1', windows: 'at least 1' });
    expect(buildJob(form({ kind: 'optimize', params: 'fast=3' })).errors).toHaveProperty('params');
    expect(buildJob(form({ kind: 'optimize', paramRanges: 'nonsense' })).errors).toHaveProperty('paramRanges');
    expect(buildJob(form({ from: '01/02/2024' })).errors).toEqual({ from: 'a date YYYY-MM-DD' });
  });
});
