// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ServicesProvider } from '../lib/context';
import type { Role } from '../lib/roles';
import { Agent } from './Agent';
import { FakeSocket, fakeServices } from './dashboard/fake-services';
import type { BotStatus } from './dashboard/types';

afterEach(cleanup);

const status = (o: Partial<BotStatus> = {}): BotStatus => ({
  state: 'stopped',
  ooda_state: null,
  uptime_seconds: 0,
  requested: null,
  requested_state: 'stopped',
  trades_today: 0,
  trades_total: 0,
  open_positions: 0,
  positions: [],
  portfolio_value: 10_000,
  daily_pnl: null,
  last_decision: null,
  kill_switch: { tripped: false, reason: null, tripped_at: null },
  restarts: 0,
  last_error: null,
  config: { stop_loss_pct: 0.02, position_size_pct: 0.01, confidence_threshold: 0.6, max_concurrent_trades: 10, provider_weights: { rules: 1 } },
  ...o,
});

function setup(role: Role, current = status()) {
  let bot = current;
  const started: unknown[] = [];
  const { services, calls } = fakeServices(role, {
    'GET /api/v1/bot/status': () => bot,
    'GET /api/v1/bot/log': () => ({ events: [{ at: '2026-01-01T10:00:00.000Z', kind: 'start', state: 'STARTUP', message: 'run r1 started with equity 10000.00', data: null }] }),
    'POST /api/v1/bot/start': (body) => {
      started.push(body);
      bot = status({ state: 'running', ooda_state: 'STARTUP' });
      return bot;
    },
  });
  render(
    <ServicesProvider services={services}>
      <Agent />
    </ServicesProvider>,
  );
  return { started, calls };
}

describe('Agent page', () => {
  it('an operator starts the agent from the form; the state follows', async () => {
    const { started } = setup('operator');
    await screen.findByText('run r1 started with equity 10000.00', { exact: false });
    fireEvent.change(screen.getByLabelText('Assets'), { target: { value: 'BTCUSD' } });
    fireEvent.click(screen.getByLabelText('Dry run'));
    fireEvent.click(screen.getByRole('button', { name: 'Start agent' }));
    await waitFor(() => expect(started).toEqual([{ asset_pairs: ['BTCUSD'], autonomous: true, dry_run: true }]));
    await waitFor(() => expect(screen.getByTestId('agent-state').textContent).toBe('running'));
    expect(screen.getByRole('button', { name: 'Stop agent' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Start agent' })).toBeNull();
  });

  it('a viewer sees the state, settings and log but no control', async () => {
    setup('viewer');
    await screen.findByText('run r1 started with equity 10000.00', { exact: false });
    for (const name of ['Start agent', 'Stop agent', 'Emergency stop', 'Save settings', 'Clear emergency stop']) expect(screen.queryByRole('button', { name })).toBeNull();
    expect(screen.queryByLabelText('Assets')).toBeNull();
    expect(screen.getByText('Max concurrent trades')).toBeTruthy();
  });

  it('live events are appended to the cycle log as they arrive, newest first', async () => {
    setup('viewer');
    await screen.findByText('run r1 started with equity 10000.00', { exact: false });
    await waitFor(() => expect(FakeSocket.last?.onmessage).toBeTruthy());
    await act(async () => {
      FakeSocket.last!.push(1, 'DecisionMade', { pair: 'ETHUSD', action: 'BUY', confidence: 70, provider: 'rules' }, '2026-01-01T10:01:00.000Z');
      FakeSocket.last!.push(2, 'GateDenied', { kind: 'denied', state: 'RISK', message: 'm', data: { pair: 'ETHUSD', action: 'BUY', reason: 'too big' } }, '2026-01-01T10:01:01.000Z');
      await new Promise((r) => setTimeout(r, 10));
    });
    const lines = screen.getAllByTestId('log-row').map((r) => r.querySelector('.log-text')!.textContent);
    expect(lines).toEqual(['ETHUSD BUY denied: too big', 'ETHUSD decision BUY (confidence 70 %, rules)', 'start: run r1 started with equity 10000.00']);
  });
});
