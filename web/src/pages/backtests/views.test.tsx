// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { MetricsTable } from '../BacktestDetail';
import type { Job } from './analysis';
import { CompareView } from './Compare';
import { Histogram } from './Histogram';

afterEach(cleanup);

const job = (id: string, kind: Job['kind'], result: unknown): Job => ({
  id,
  kind,
  status: 'succeeded',
  progress: 1,
  params: { asset_pair: 'BTCUSD', strategy: 'sma-cross' },
  result,
  created_at: '2024-01-01T00:00:00Z',
  created_by: 'user:ann',
});

describe('Histogram', () => {
  it('one bar per bin, heights relative to the fullest, and the same numbers in a table', () => {
    const { container } = render(<Histogram title="Final equity" values={[1, 1, 1, 1, 2.5, 4]} bins={3} format={(v) => v.toFixed(1)} />);
    const bars = container.querySelectorAll<HTMLElement>('.histogram-bar');
    expect([...bars].map((b) => b.style.height)).toEqual(['100%', '25%', '25%']);
    const table = screen.getByRole('table');
    expect(
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map((r) => r.textContent),
    ).toEqual(['1.02.04', '2.03.01', '3.04.01']);
  });
  it('says so when there is nothing to draw', () => {
    render(<Histogram title="Max drawdown" values={[]} format={String} />);
    expect(screen.getByText('No outcomes to draw.')).toBeTruthy();
  });
});

describe('CompareView and MetricsTable', () => {
  it('puts both runs’ metrics side by side, formatted; no curve to draw says so', () => {
    render(<CompareView a={job('A', 'monte_carlo', { base: { total_return: 0.1, trade_count: 4 } })} b={job('B', 'optimize', { best: { metrics: { total_return: -0.05, trade_count: 9 } } })} />);
    const rows = screen.getAllByRole('row').map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent));
    expect(rows.slice(1)).toEqual([
      ['Total return', '10.00 %', '-5.00 %'],
      ['Trade count', '4', '9'],
    ]);
    expect(screen.getByText(/Neither run stored an equity curve/)).toBeTruthy();
  });
  it('draws both curves on one chart when both are backtests', () => {
    const curve = (k: number): [number, number][] => [
      [0, 100],
      [3_600_000, 100 + k],
    ];
    render(<CompareView a={job('A', 'backtest', { metrics: {}, equity: curve(1) })} b={job('B', 'backtest', { metrics: {}, equity: curve(2) })} />);
    expect(screen.getByRole('img', { name: 'Equity of jobs A and B as return since start, in percent' })).toBeTruthy();
  });
  it('a metrics table lists numeric metrics with readable names', () => {
    render(<MetricsTable metrics={{ max_drawdown: 0.2, max_drawdown_duration_ms: 86_400_000 * 2, sharpe: 1.5 }} label="Metrics" />);
    expect(
      screen
        .getAllByRole('row')
        .slice(1)
        .map((r) => r.textContent),
    ).toEqual(['Max drawdown20.00 %', 'Max drawdown duration2.0 d', 'Sharpe1.500']);
    expect(screen.getByRole('region', { name: 'Metrics' })).toBeTruthy();
  });
});
