// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AgentControls, ClearEmergencyStop } from './Controls';
import { CycleLog } from './CycleLog';
import { SettingsEditor } from './Settings';
import { StartForm } from './StartForm';

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

describe('StartForm', () => {
  it('sends the parsed request: assets, fractions, manual approval as autonomous false, dry run', async () => {
    const onStart = vi.fn(async () => undefined);
    render(<StartForm onStart={onStart} />);
    fireEvent.change(screen.getByLabelText('Assets'), { target: { value: 'btcusd, ethusd' } });
    fireEvent.change(screen.getByLabelText('Take-profit'), { target: { value: '5%' } });
    fireEvent.change(screen.getByLabelText('Stop-loss'), { target: { value: '0.02' } });
    fireEvent.click(screen.getByLabelText('Manual approval'));
    fireEvent.click(screen.getByLabelText('Dry run'));
    fireEvent.click(screen.getByRole('button', { name: 'Start agent' }));
    await waitFor(() => expect(onStart).toHaveBeenCalledWith({ asset_pairs: ['BTCUSD', 'ETHUSD'], take_profit: 0.05, stop_loss: 0.02, autonomous: false, dry_run: true }));
  });

  it('shows the errors and sends nothing for a bad form', () => {
    const onStart = vi.fn(async () => undefined);
    render(<StartForm onStart={onStart} />);
    fireEvent.change(screen.getByLabelText('Stop-loss'), { target: { value: '3' } });
    fireEvent.click(screen.getByRole('button', { name: 'Start agent' }));
    expect(screen.getByRole('alert').textContent).toMatch(/^Stop-loss: must be from/);
    expect(onStart).not.toHaveBeenCalled();
  });
});

describe('AgentControls', () => {
  it('Stop agent only while running; Emergency stop confirms with the close-positions choice', async () => {
    const onStop = vi.fn(async () => undefined);
    const onEmergencyStop = vi.fn(async () => undefined);
    const { rerender } = render(<AgentControls running={false} tripped={false} onStop={onStop} onEmergencyStop={onEmergencyStop} />);
    expect(screen.queryByRole('button', { name: 'Stop agent' })).toBeNull();
    rerender(<AgentControls running tripped={false} onStop={onStop} onEmergencyStop={onEmergencyStop} />);
    fireEvent.click(screen.getByRole('button', { name: 'Stop agent' }));
    await waitFor(() => expect(onStop).toHaveBeenCalledTimes(1));
    fireEvent.click(screen.getByRole('button', { name: 'Emergency stop' }));
    expect(onEmergencyStop).not.toHaveBeenCalled();
    fireEvent.click(screen.getByLabelText('Close all positions'));
    fireEvent.change(screen.getByLabelText('Reason'), { target: { value: ' runaway ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Confirm emergency stop' }));
    await waitFor(() => expect(onEmergencyStop).toHaveBeenCalledWith({ closePositions: true, reason: 'runaway' }));
    rerender(<AgentControls running={false} tripped onStop={onStop} onEmergencyStop={onEmergencyStop} />);
    expect(screen.queryByRole('button', { name: 'Emergency stop' })).toBeNull();
  });

  it('clearing an emergency stop needs a reason', async () => {
    const onClear = vi.fn(async () => undefined);
    render(<ClearEmergencyStop onClear={onClear} />);
    fireEvent.click(screen.getByRole('button', { name: 'Clear emergency stop' }));
    expect(screen.getByRole('alert').textContent).toMatch(/^Reason/);
    expect(onClear).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText('Reason for clearing'), { target: { value: 'checked' } });
    fireEvent.click(screen.getByRole('button', { name: 'Clear emergency stop' }));
    await waitFor(() => expect(onClear).toHaveBeenCalledWith('checked'));
  });
});

describe('SettingsEditor', () => {
  const config = { stop_loss_pct: 0.02, position_size_pct: 0.01, confidence_threshold: 0.6, max_concurrent_trades: 10, provider_weights: { rules: 1 } };
  it('saves only the changed settings and shows what was and is in force', async () => {
    const onSave = vi.fn(async () => ({ before: config, after: { ...config, max_concurrent_trades: 4 } }));
    render(<SettingsEditor config={config} onSave={onSave} />);
    fireEvent.change(screen.getByLabelText('Max concurrent trades'), { target: { value: '4' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(onSave).toHaveBeenCalledWith({ max_concurrent_trades: 4 }));
    const row = (await screen.findByText('Saved: what was and is in force')).closest('table')!.querySelector('tr.changed')!;
    expect(row.textContent).toBe('Max concurrent trades104');
  });

  it('without the operate permission: values only, no inputs or Save settings', () => {
    render(<SettingsEditor config={config} />);
    expect(screen.queryByRole('button', { name: 'Save settings' })).toBeNull();
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.getByText('2.00 %')).toBeTruthy();
  });
});

describe('CycleLog', () => {
  it('lists entries in the order given, or says there is nothing', () => {
    render(
      <CycleLog
        entries={[
          { key: 'b', at: '2026-01-01T10:00:02Z', kind: 'OrderFilled', state: '', text: 'BTCUSD order filled', tone: 'ok' },
          { key: 'a', at: '2026-01-01T10:00:01Z', kind: 'transition', state: 'IDLE', text: 'transition (IDLE): x', tone: 'muted' },
        ]}
      />,
    );
    expect(screen.getAllByTestId('log-row').map((r) => r.querySelector('.log-text')!.textContent)).toEqual(['BTCUSD order filled', 'transition (IDLE): x']);
    cleanup();
    render(<CycleLog entries={[]} />);
    expect(screen.getByText('No agent activity yet.')).toBeTruthy();
  });
});
