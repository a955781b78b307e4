// @vitest-environment jsdom
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SeriesDef } from '../components/charts/TimeChart';
import { Feedback } from './Feedback';

// jsdom has no canvas: the chart stands in as a list of its series (what the page hands it is what is tested).
vi.mock('../components/charts/TimeChart', () => ({
  TimeChart: ({ series, label }: { series: readonly SeriesDef[]; label: string }) => (
    <ul role="img" aria-label={label}>
      {series.map((s) => (
        <li key={s.name} data-testid="series">
          {s.name}: {s.points.map((p) => `${p.time}=${p.value}`).join(' ')}
        </li>
      ))}
    </ul>
  ),
}));
import { harness, parse } from './decisions/test-support';

afterEach(cleanup);

const trade = (id: string, closed_at: number, over = {}) => ({
  id,
  trade_id: id,
  decision_id: 'd1',
  venue: 'paper',
  pair: 'BTCUSD',
  side: 'long',
  units: 1,
  entry_price: 100,
  exit_price: 110,
  opened_at: closed_at - 3_600_000,
  closed_at,
  fees: 0.2,
  pnl: 9.8,
  return_fraction: 0.098,
  holding_ms: 3_600_000,
  mfe: 0.12,
  mae: -0.015,
  exit_reason: 'take_profit',
  exit_detail: 'take-profit order filled',
  ...over,
});

describe('Feedback page', () => {
  it('per-provider performance, weight changes with reasons, trades with MFE/MAE and exit reasons; live on TradeLearned', async () => {
    let trades = [trade('t1', 1_765_000_000_000)];
    const h = harness('viewer', (c) => {
      const { path } = parse(c);
      if (path === '/api/v1/memory/providers')
        return {
          body: {
            learning: { kind: 'account', sandbox: null },
            outcomes: 1,
            frozen: false,
            providers: [{ provider: 'llama', trades: 1, wins: 1, win_rate: 1, pnl: 9.8, average_return: 0.098, total_return: 0.098, weight: 0.6 }],
          },
        };
      if (path === '/api/v1/memory/weights')
        return {
          body: {
            learning: { kind: 'account', sandbox: null },
            frozen: false,
            min_outcomes: 5,
            weights: { llama: 0.6 },
            history: [{ id: 'w1', at: 1_765_000_000_000, scope: 'all', previous: { llama: 0.5 }, weights: { llama: 0.6 }, outcomes: 6, reason: 'llama hit rate 70 % over 6 outcomes' }],
          },
        };
      if (path === '/api/v1/monitor/metrics')
        return {
          body: {
            summary: { trades: trades.length, win_rate: 1, pnl: 9.8, fees: 0.2, average_return: 0.098, average_hold_ms: 3_600_000, average_mfe: 0.12, average_mae: -0.015, by_exit: { take_profit: trades.length } },
            trades,
          },
        };
      return { status: 404, body: { error: { code: 'ROUTE_NOT_FOUND', message: 'no route' } } };
    });
    render(<Feedback />, { wrapper: h.wrap });
    const prov = await screen.findByTestId('provider-row');
    expect(prov.textContent).toMatch(/llama.*100\.0 %.*\+9\.80.*60\.0 %/);
    const change = await screen.findByTestId('weight-change-row');
    expect(change.textContent).toContain('llama hit rate 70 % over 6 outcomes');
    expect(change.textContent).toContain('llama 50.0 % → 60.0 %');
    expect(within(screen.getByRole('img', { name: 'Ensemble weights over time (all)' })).getByTestId('series').textContent).toBe('llama: 1764999999=0.5 1765000000=0.6');
    const row = await screen.findByTestId('trade-row');
    expect(within(row).getByText('12.00 %')).toBeTruthy();
    expect(within(row).getByText('-1.50 %')).toBeTruthy();
    expect(within(row).getByText('take profit')).toBeTruthy();
    expect(h.calls.map((c) => parse(c)).find((c) => c.path === '/api/v1/memory/weights')?.query).toEqual({ history: 'true' });

    trades = [...trades, trade('t2', 1_765_000_600_000, { pnl: -3, exit_reason: 'stop_loss' })];
    act(() => h.live.emit('TradeLearned', {}));
    await waitFor(() => expect(screen.getAllByTestId('trade-row')).toHaveLength(2), { timeout: 3000 });
    expect(within(screen.getAllByTestId('trade-row')[0]).getByText('stop loss')).toBeTruthy();
  });

  const accuracy = {
    factor: 0.5,
    providers: [
      { provider: 'llama', samples: 8, hits: 6, accuracy: 0.75, avg_return: 0.012 },
      { provider: 'rules', samples: 8, hits: 3, accuracy: 0.375, avg_return: -0.004 },
    ],
    feedback_classes: [
      { class: 'useful', samples: 5, hits: 4, accuracy: 0.8, avg_return: 0.02 },
      { class: 'unrated', samples: 3, hits: 2, accuracy: 2 / 3, avg_return: 0.001 },
    ],
  };
  const accuracyOnly = (answer: () => { status?: number; body: unknown }) =>
    harness('viewer', (c) => (parse(c).path === '/api/v1/recommendations/accuracy' ? answer() : { status: 404, body: { error: { code: 'ROUTE_NOT_FOUND', message: 'no route' } } }));

  it('recommendation accuracy: labelled as recommendations (not executed trades), per provider and per feedback class, with the weighting factor; live on a measured outcome', async () => {
    let answer = accuracy;
    const h = accuracyOnly(() => ({ body: answer }));
    render(<Feedback />, { wrapper: h.wrap });
    const panel = (await screen.findByRole('heading', { name: 'Recommendation accuracy (recommendations, not executed trades)' })).closest('section')!;
    await waitFor(() => expect(within(panel).getAllByTestId('rec-provider-row')).toHaveLength(2));
    expect(within(panel).getByTestId('rec-factor').textContent).toBe('× 0.50');
    expect(
      within(panel)
        .getAllByTestId('rec-provider-row')
        .map((r) => r.textContent),
    ).toEqual(['llama8675.0 %1.20 %', 'rules8337.5 %-0.40 %']);
    expect(
      within(panel)
        .getAllByTestId('rec-class-row')
        .map((r) => r.textContent),
    ).toEqual(['Rated useful5480.0 %2.00 %', 'Not rated3266.7 %0.10 %']);
    answer = { ...accuracy, factor: 0.25 };
    act(() => h.live.emit('RecommendationOutcomeMeasured', { id: 'r1', pair: 'BTCUSD', status: 'target', return_after_costs: 0.05, correct: true }));
    await waitFor(() => expect(within(panel).getByTestId('rec-factor').textContent).toBe('× 0.25'), { timeout: 3000 });
  });

  it('recommendation accuracy: empty before anything is measured, the error when it cannot load', async () => {
    const h = accuracyOnly(() => ({ body: { factor: 0.5, providers: [], feedback_classes: [{ class: 'unrated', samples: 0, hits: 0, accuracy: null, avg_return: null }] } }));
    render(<Feedback />, { wrapper: h.wrap });
    await screen.findByText('No recommendation has been measured yet: each is judged once its horizon ends.');
    cleanup();
    const e = accuracyOnly(() => ({ status: 503, body: { error: { code: 'UNAVAILABLE', message: 'accuracy unavailable', request_id: 'r' } } }));
    render(<Feedback />, { wrapper: e.wrap });
    expect(await screen.findByText('accuracy unavailable')).toBeTruthy();
  });
});
