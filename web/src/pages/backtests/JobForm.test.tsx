// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JobForm } from './JobForm';
import { JobList } from './JobList';
import type { Job } from './analysis';

afterEach(cleanup);

describe('JobForm', () => {
  it('shows only the chosen kind’s fields and submits its body', () => {
    const onSubmit = vi.fn();
    render(<JobForm onSubmit={onSubmit} />);
    expect(screen.queryByLabelText('Simulations')).toBeNull();
    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'monte_carlo' } });
    fireEvent.change(screen.getByLabelText('Simulations'), { target: { value: '300' } });
    expect(screen.queryByLabelText('Windows')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Run job' }));
    expect(onSubmit).toHaveBeenCalledWith({ kind: 'monte_carlo', params: expect.objectContaining({ simulations: 300, noise: 0.01, asset_pair: 'BTCUSD' }) });
  });

  it('a bad field is marked and explained; nothing is sent', () => {
    const onSubmit = vi.fn();
    render(<JobForm onSubmit={onSubmit} serverError="from: no bars" />);
    fireEvent.change(screen.getByLabelText(/^Pairs/), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run job' }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByLabelText(/^Pairs/).getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('at least one pair')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe('from: no bars');
  });
});

describe('JobList', () => {
  const job = (id: string, status: Job['status'], progress: number): Job => ({
    id,
    kind: 'backtest',
    status,
    progress,
    params: { asset_pair: 'BTCUSD', strategy: 'sma-cross', from: '2024-01-01', to: '2024-02-01' },
    created_at: '2024-01-01T00:00:00Z',
    created_by: 'user:ann',
  });
  it('rows with status, live progress, Cancel job only for unfinished jobs and only with the permission', () => {
    const onCancel = vi.fn();
    const jobs = [job('j1', 'running', 0.1), job('j2', 'succeeded', 1)];
    const { rerender } = render(<JobList jobs={jobs} progress={{ j1: 0.5 }} canCancel onCancel={onCancel} picked={[]} onPick={() => {}} />);
    expect(screen.getAllByTestId('job-row')).toHaveLength(2);
    expect((screen.getByLabelText('Progress of job j1') as HTMLProgressElement).value).toBe(0.5);
    expect((screen.getByLabelText('Progress of job j2') as HTMLProgressElement).value).toBe(1);
    const cancels = screen.getAllByRole('button', { name: 'Cancel job' });
    expect(cancels).toHaveLength(1);
    fireEvent.click(cancels[0]);
    expect(onCancel).toHaveBeenCalledWith('j1');
    rerender(<JobList jobs={jobs} progress={{}} canCancel={false} onCancel={onCancel} picked={[]} onPick={() => {}} />);
    expect(screen.queryByRole('button', { name: 'Cancel job' })).toBeNull();
    expect((screen.getByLabelText('Compare job j1') as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByLabelText('Compare job j2') as HTMLInputElement).disabled).toBe(false);
  });
});
