// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ServicesProvider } from '../lib/context';
import type { Role } from '../lib/roles';
import { Dashboard } from './Dashboard';
import { FakeSocket, fakeServices } from './dashboard/fake-services';
import type { Position } from './dashboard/types';

afterEach(cleanup);
beforeAll(() => {
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.removeAttribute('open');
  };
});

const position = (pair: string, pnl: number): Position => ({
  id: pair,
  venue: 'paper',
  asset_pair: pair,
  side: 'long',
  units: 1,
  entry_price: 100,
  mark_price: 100 + pnl,
  unrealized_pnl: pnl,
  opened_at: null,
  stop_loss: null,
  take_profit: null,
});

function setup(role: Role) {
  let positions = [position('BTCUSD', 5), position('ETHUSD', -2)];
  const closed: string[] = [];
  const { services, calls } = fakeServices(role, {
    'GET /api/v1/bot/status': () => ({
      state: 'running',
      ooda_state: 'IDLE',
      uptime_seconds: 65,
      requested: null,
      trades_today: 1,
      trades_total: 4,
      positions,
      portfolio_value: 10_003,
      daily_pnl: 3,
      kill_switch: { tripped: false, reason: null, tripped_at: null },
      restarts: 0,
      last_error: null,
      config: {},
    }),
    'GET /api/v1/portfolio': () => ({
      mode: 'paper',
      mode_note: '',
      currency: 'USD',
      total_value: 10_003,
      holdings: [],
      exposure: { net: 0, gross: 200, net_fraction: 0, gross_fraction: 0.02 },
      by_venue: [{ name: 'paper', value: 10_003, fraction: 1 }],
      by_asset: [
        { name: 'USD', value: 9_803, fraction: 0.98 },
        { name: 'BTC', value: 105, fraction: 0.01 },
      ],
    }),
    'GET /api/v1/bot/positions': () => ({ positions }),
    'GET /api/v1/status': () => ({ trading: { halted: false, reasons: [] }, breakers: [{ name: 'venue:paper', venue: 'paper', state: 'CLOSED', consecutive_failures: 0, opens: 0, last_error: null }] }),
    'GET /api/v1/portfolio/history': () => ({
      account: 'paper',
      currency: 'USD',
      total_points: 1,
      points: [{ at: '2026-01-01T00:00:00Z', equity: 10_000, peak: 10_000, drawdown: 0 }],
      max_drawdown: 0.01,
      summary: { equity: 10_003, pnl_today: 3, pnl_overall: 103, first_at: '2025-12-01T00:00:00Z' },
    }),
    'POST /api/v1/bot/positions/BTCUSD/close': () => {
      closed.push('BTCUSD');
      positions = positions.filter((p) => p.id !== 'BTCUSD');
      return { status: 'filled', denials: [] };
    },
  });
  render(
    <ServicesProvider services={services}>
      <Dashboard />
    </ServicesProvider>,
  );
  return { calls, closed, setPositions: (ps: Position[]) => void (positions = ps) };
}

describe('Dashboard page', () => {
  it('shows value, P&L today and overall, allocation, breakers and the agent; a viewer gets no Close button', async () => {
    setup('viewer');
    await waitFor(() => expect(screen.getAllByTestId('position-row')).toHaveLength(2));
    const stats = await screen.findByTestId('portfolio-stats');
    await waitFor(() => expect(stats.textContent).toContain('P&L overall+103.00'));
    expect(stats.textContent).toContain('10,003.00 USD');
    expect(stats.textContent).toContain('P&L today+3.00');
    expect(screen.getByTestId('agent-state').textContent).toBe('running');
    expect(screen.getByText('venue:paper')).toBeTruthy();
    expect(screen.getAllByTestId('allocation-row').length).toBe(3);
    expect(screen.queryByRole('button', { name: 'Close' })).toBeNull();
  });

  it('reloads the open positions when a PositionClosed event arrives', async () => {
    const { calls, setPositions } = setup('viewer');
    await waitFor(() => expect(screen.getAllByTestId('position-row')).toHaveLength(2));
    await waitFor(() => expect(FakeSocket.last?.onmessage).toBeTruthy());
    const before = calls.filter((c) => c.startsWith('GET /api/v1/bot/positions')).length;
    setPositions([position('BTCUSD', 7)]);
    await act(async () => FakeSocket.last!.push(1, 'PositionClosed', { pair: 'ETHUSD', pnl: -2 }));
    await waitFor(() => expect(screen.getAllByTestId('position-row')).toHaveLength(1), { timeout: 3000 });
    expect(calls.filter((c) => c.startsWith('GET /api/v1/bot/positions')).length).toBeGreaterThan(before);
    expect(within(screen.getByTestId('position-row')).getByText('+7.00')).toBeTruthy();
  });

  it('a trader closes a position after confirming', async () => {
    const { closed } = setup('trader');
    await waitFor(() => expect(screen.getAllByTestId('position-row')).toHaveLength(2));
    const btc = screen.getAllByTestId('position-row').find((r) => r.textContent!.includes('BTCUSD'))!;
    fireEvent.click(within(btc).getByRole('button', { name: 'Close' }));
    fireEvent.click(screen.getByRole('button', { name: 'Close position' }));
    await waitFor(() => expect(closed).toEqual(['BTCUSD']));
    await screen.findByText('BTCUSD close filled');
    await waitFor(() => expect(screen.getAllByTestId('position-row')).toHaveLength(1));
  });
});
