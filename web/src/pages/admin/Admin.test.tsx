// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiKeysTable, CreateKeyForm } from './ApiKeys';
import { AuditFilterForm, AuditTable, VerifyBadge } from './AuditLog';
import { NewSecret } from './NewSecret';
import { CreateUserForm, UsersTable } from './Users';
import type { ApiKey, AuditEntry, User } from './shape';

afterEach(cleanup);

const user = (name: string, role: User['role'], disabled = false): User => ({ id: name, name, role, mfa: name === 'root', disabled, created_at: '2026-12-01T10:00:00.000Z', updated_at: '2026-12-01T10:00:00.000Z' });

describe('admin page components', () => {
  it('users table: a row per user, role changes reported, the last admin locked, disabled users without controls', () => {
    const onRole = vi.fn();
    const onDisable = vi.fn();
    render(<UsersTable users={[user('root', 'admin'), user('ann', 'viewer'), user('old', 'trader', true)]} onRole={onRole} onDisable={onDisable} />);
    const rows = screen.getAllByTestId('user-row');
    expect(rows.map((r) => (r as HTMLTableRowElement).cells[0].textContent)).toEqual(['ann', 'root', 'old']);
    fireEvent.change(screen.getByLabelText('Role of ann'), { target: { value: 'trader' } });
    expect(onRole).toHaveBeenCalledWith('ann', 'trader');
    expect((screen.getByLabelText('Role of root') as HTMLSelectElement).disabled).toBe(true);
    expect(screen.queryByRole('button', { name: 'Disable root' })).toBeNull();
    expect(within(rows[2]).queryByRole('button')).toBeNull();
    expect(within(rows[2]).getByText('disabled')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Disable ann' }));
    expect(onDisable).toHaveBeenCalledWith('ann');
  });

  it('create user form: refuses an empty name, sends name/role and the password only when given, shows the server error', async () => {
    const onCreate = vi.fn().mockResolvedValueOnce(undefined).mockRejectedValueOnce(new Error('a user named "ann" exists'));
    render(<CreateUserForm onCreate={onCreate} />);
    fireEvent.click(screen.getByRole('button', { name: 'Create user' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Name is required');
    expect(onCreate).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText('User name'), { target: { value: ' ann ' } });
    fireEvent.change(screen.getByLabelText('Role'), { target: { value: 'analyst' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create user' }));
    await waitFor(() => expect(onCreate).toHaveBeenCalledWith({ name: 'ann', role: 'analyst' }));
    await waitFor(() => expect((screen.getByLabelText('User name') as HTMLInputElement).value).toBe(''));
    fireEvent.change(screen.getByLabelText('User name'), { target: { value: 'ann' } });
    fireEvent.change(screen.getByLabelText('Password (empty: generated)'), { target: { value: 'a long password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create user' }));
    expect((await screen.findByRole('alert')).textContent).toBe('a user named "ann" exists');
    expect(onCreate).toHaveBeenLastCalledWith({ name: 'ann', role: 'analyst', password: 'a long password' });
  });

  it('API keys: revoke offered on active keys only; the create form sends name and role', async () => {
    const keys: ApiKey[] = [
      { id: 'k1', name: 'ci', role: 'operator', prefix: 'ffe_abc', created_by: 'root', created_at: '2026-12-01T00:00:00Z', last_used_at: null, revoked_at: null },
      { id: 'k2', name: 'old', role: 'viewer', prefix: 'ffe_def', created_by: 'root', created_at: '2026-11-01T00:00:00Z', last_used_at: '2026-11-02T00:00:00Z', revoked_at: '2026-11-03T00:00:00Z' },
    ];
    const onRevoke = vi.fn();
    render(<ApiKeysTable keys={keys} onRevoke={onRevoke} />);
    expect(screen.getAllByRole('button')).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'Revoke key ci (ffe_abc)' }));
    expect(onRevoke).toHaveBeenCalledWith(keys[0]);
    expect(screen.getByText('never')).toBeTruthy();
    cleanup();
    const onCreate = vi.fn().mockResolvedValue(undefined);
    render(<CreateKeyForm onCreate={onCreate} />);
    fireEvent.change(screen.getByLabelText('Key name'), { target: { value: 'bot' } });
    fireEvent.change(screen.getByLabelText('Key role'), { target: { value: 'trader' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    await waitFor(() => expect(onCreate).toHaveBeenCalledWith({ name: 'bot', role: 'trader' }));
  });

  it('a new secret is shown with its shown-once hint, copied to the clipboard, and dismissed', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const onDone = vi.fn();
    render(<NewSecret label="API key bot:" secret="ffe_secret123" onDone={onDone} />);
    expect(screen.getByTestId('new-secret').textContent).toContain('shown only once');
    expect(screen.getByLabelText('API key bot:').textContent).toBe('ffe_secret123');
    fireEvent.click(screen.getByRole('button', { name: 'Copy' }));
    expect(writeText).toHaveBeenCalledWith('ffe_secret123');
    expect(await screen.findByText('Copied.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(onDone).toHaveBeenCalled();
  });

  it('audit: rows with result badges and parameters; verification intact or broken; filters validated before applying', () => {
    const entry = (seq: number, result: AuditEntry['result']): AuditEntry => ({
      seq,
      at: '2026-12-06T05:00:00.000Z',
      actor: 'root',
      role: 'admin',
      action: 'user.create',
      params: { name: 'ann' },
      result,
      error_code: result === 'ok' ? null : 'FORBIDDEN',
      request_id: 'req-1',
      ip: '127.0.0.1',
      prev_hash: 'a',
      hash: 'b',
    });
    render(<AuditTable entries={[entry(2, 'denied'), entry(1, 'ok')]} />);
    const rows = screen.getAllByTestId('audit-row');
    expect(rows).toHaveLength(2);
    expect(rows[0].textContent).toContain('denied FORBIDDEN');
    expect(rows[1].textContent).toContain('name=ann');
    cleanup();
    render(<VerifyBadge result={{ ok: false, checked: 9, from_seq: 1, first_problem: { seq: 4, problem: 'missing', detail: 'seq 4 absent' } }} />);
    expect(screen.getByTestId('audit-verify').dataset.ok).toBe('false');
    expect(screen.getByTestId('audit-verify').textContent).toContain('Chain broken at #4');
    cleanup();
    const onApply = vi.fn();
    render(<AuditFilterForm initial={{ action: '', actor: '', from: '', to: '' }} onApply={onApply} />);
    fireEvent.change(screen.getByLabelText('Action'), { target: { value: 'user.create' } });
    fireEvent.change(screen.getByLabelText('From (UTC)'), { target: { value: '2026-12-06T06:00' } });
    fireEvent.change(screen.getByLabelText('To (UTC)'), { target: { value: '2026-12-06T05:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    expect(screen.getByRole('alert').textContent).toBe('From is after To');
    expect(onApply).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText('To (UTC)'), { target: { value: '2026-12-06T07:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    expect(onApply).toHaveBeenCalledWith({ action: 'user.create', actor: '', from: '2026-12-06T06:00', to: '2026-12-06T07:00' });
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(onApply).toHaveBeenLastCalledWith({ action: '', actor: '', from: '', to: '' });
  });
});
