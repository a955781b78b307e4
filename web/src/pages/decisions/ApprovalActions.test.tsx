// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApprovalActions, Countdown, decisionMessage } from './ApprovalActions';
import { harness } from './test-support';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('expiry countdown', () => {
  it('counts down every second and says expired at the end', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-12-06T10:00:00Z'));
    render(<Countdown expiresAt={Date.parse('2026-12-06T10:01:02Z')} />);
    expect(screen.getByTestId('expiry').textContent).toBe('1 m 2 s');
    act(() => void vi.advanceTimersByTime(1000));
    expect(screen.getByTestId('expiry').textContent).toBe('1 m 1 s');
    act(() => void vi.advanceTimersByTime(5000));
    expect(screen.getByTestId('expiry').textContent).toBe('56 s');
    expect(screen.getByTestId('expiry').className).toBe('warn-text');
    act(() => void vi.advanceTimersByTime(60_000));
    expect(screen.getByTestId('expiry').textContent).toBe('expired');
  });
});

describe('Approve / Reject', () => {
  const pending = { decision_id: 'd1', pair: 'BTCUSD', action: 'BUY' as const, status: 'pending' as const, expires_at: Date.now() + 300_000 };

  it('a trader approves: POST /api/v1/approvals/:decision_id {status: approved}, the outcome is told', async () => {
    const h = harness('trader', () => ({ body: { approval: { status: 'approved' }, result: { status: 'filled', gate: { approved: true, denials: [] } } } }));
    const done = vi.fn();
    render(<ApprovalActions approval={pending} onDone={done} />, { wrapper: h.wrap });
    fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
    expect(await screen.findByText('Approved: filled.')).toBeTruthy();
    expect(h.calls).toEqual([{ method: 'POST', path: '/api/v1/approvals/d1', body: { status: 'approved' } }]);
    expect(done).toHaveBeenCalledWith('Approved: filled.', false);
  });

  it('reject sends status rejected; a refusal from the API is shown as an alert', async () => {
    const h = harness('operator', () => ({ status: 409, body: { error: { code: 'APPROVAL_DECIDED', message: 'approval a1 was decided by someone else meanwhile' } } }));
    const done = vi.fn();
    render(<ApprovalActions approval={pending} onDone={done} />, { wrapper: h.wrap });
    fireEvent.click(screen.getByRole('button', { name: 'Reject' }));
    expect((await screen.findByRole('alert')).textContent).toContain('decided by someone else');
    expect(done).toHaveBeenCalledWith('approval a1 was decided by someone else meanwhile', true);
    expect(h.calls[0]).toMatchObject({ method: 'POST', path: '/api/v1/approvals/d1', body: { status: 'rejected' } });
  });

  it('a viewer or analyst sees no buttons; nobody sees them on an expired or decided approval', () => {
    for (const role of ['viewer', 'analyst'] as const) {
      const h = harness(role, () => ({ body: {} }));
      const { unmount } = render(<ApprovalActions approval={pending} />, { wrapper: h.wrap });
      expect(screen.queryByRole('button')).toBeNull();
      unmount();
    }
    const h = harness('admin', () => ({ body: {} }));
    const { rerender } = render(<ApprovalActions approval={{ ...pending, expires_at: Date.now() - 1 }} />, { wrapper: h.wrap });
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    rerender(<ApprovalActions approval={{ ...pending, status: 'approved' }} />);
    expect(screen.queryByRole('button', { name: 'Reject' })).toBeNull();
    rerender(<ApprovalActions approval={pending} />);
    expect(screen.getByRole('button', { name: 'Approve' })).toBeTruthy();
  });

  it('says when the gate denied an approved order, with its reason codes', () => {
    expect(decisionMessage('approved', { result: { status: 'denied', gate: { approved: false, denials: [{ code: 'VAR_LIMIT', message: 'VaR 7 % over 5 %' }] } } })).toBe(
      'Approved, but the risk gate denied the order: VaR 7 % over 5 % [VAR_LIMIT].',
    );
    expect(decisionMessage('rejected', undefined)).toBe('Rejected.');
  });
});
