// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AllocationTable } from './Allocation';
import { PositionsTable } from './Positions';
import { BreakersTable } from './StatePanel';
import type { Position } from './types';

afterEach(cleanup);
// jsdom has <dialog> without its methods: open and close it by the attribute, as a browser would.
beforeAll(() => {
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.removeAttribute('open');
  };
});

const pos = (o: Partial<Position>): Position => ({
  id: 'BTCUSD',
  venue: 'paper',
  asset_pair: 'BTCUSD',
  side: 'long',
  units: 0.5,
  entry_price: 100,
  mark_price: 110,
  unrealized_pnl: 5,
  opened_at: '2026-01-01T00:00:00Z',
  stop_loss: 90,
  take_profit: null,
  ...o,
});

describe('PositionsTable', () => {
  it('renders one position-row per position with its live P&L; no Close button without the trade permission', () => {
    render(<PositionsTable positions={[pos({}), pos({ id: 'ETHUSD', asset_pair: 'ETHUSD', side: 'short', unrealized_pnl: -2.5, units: 1, entry_price: 50 })]} />);
    const rows = screen.getAllByTestId('position-row');
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByText('+5.00').className).toContain('up');
    expect(within(rows[0]).getByText('10.00 %')).toBeTruthy();
    expect(within(rows[1]).getByText('-2.50').className).toContain('down');
    expect(screen.queryByRole('button', { name: 'Close' })).toBeNull();
  });

  it('Close asks first, and closes only the confirmed position', async () => {
    const onClose = vi.fn(async () => undefined);
    render(<PositionsTable positions={[pos({}), pos({ id: 'ETHUSD', asset_pair: 'ETHUSD' })]} onClose={onClose} />);
    const rows = screen.getAllByTestId('position-row');
    fireEvent.click(within(rows[1]).getByRole('button', { name: 'Close' }));
    expect(onClose).not.toHaveBeenCalled();
    expect(screen.getByText(/Close the long ETHUSD position/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onClose).not.toHaveBeenCalled();
    fireEvent.click(within(rows[1]).getByRole('button', { name: 'Close' }));
    fireEvent.click(screen.getByRole('button', { name: 'Close position' }));
    await waitFor(() => expect(onClose).toHaveBeenCalledTimes(1));
    expect((onClose.mock.calls[0] as unknown as [Position])[0].id).toBe('ETHUSD');
  });
});

describe('AllocationTable and BreakersTable', () => {
  it('shows each name with its value and share, widest first', () => {
    render(
      <AllocationTable
        caption="By asset"
        label="Asset"
        currency="USD"
        total={1000}
        allocs={[
          { name: 'BTC', value: 250, fraction: 0.25 },
          { name: 'USD', value: 750, fraction: 0.75 },
        ]}
      />,
    );
    const rows = screen.getAllByTestId('allocation-row');
    expect(rows.map((r) => r.textContent)).toEqual(['USD750.0075.0 %', 'BTC250.0025.0 %']);
    expect(screen.getByRole('region', { name: 'By asset' })).toBeTruthy();
  });

  it('breakers as badges; an empty list says so', () => {
    render(<BreakersTable breakers={[{ name: 'venue:paper', venue: 'paper', state: 'OPEN', consecutive_failures: 3, opens: 1, last_error: 'timeout' }]} />);
    expect(screen.getByText('OPEN').className).toContain('badge-bad');
    expect(screen.getByText('timeout')).toBeTruthy();
    cleanup();
    render(<BreakersTable breakers={[]} />);
    expect(screen.getByText(/No circuit breaker/)).toBeTruthy();
  });
});
