import { useState, type FormEvent } from 'react';
import { Async, FormError } from '../../components/State';
import { Badge, Card, ConfirmDialog } from '../../components/ui';
import { useResource, useServices } from '../../lib/context';
import { fmtTime } from '../../lib/format';
import { ROLES, type Role } from '../../lib/roles';
import { NewSecret } from './NewSecret';
import { isLastAdmin, isRole, nameError, sortUsers, type User } from './shape';

export interface UsersTableProps {
  users: readonly User[];
  /** The name of the user a change is being sent for (its controls are disabled meanwhile). */
  busy?: string | null;
  onRole(name: string, role: Role): void;
  onDisable(name: string): void;
}

/** Users with their role (a select), MFA and state; the last enabled admin cannot be demoted or disabled. */
export function UsersTable({ users, busy, onRole, onDisable }: UsersTableProps) {
  const sorted = sortUsers(users);
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label="Users">
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">MFA</th>
            <th scope="col">State</th>
            <th scope="col">Created</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((u) => {
            const last = isLastAdmin(u, users);
            const locked = u.disabled || busy === u.name;
            return (
              <tr key={u.id} data-testid="user-row">
                <td>{u.name}</td>
                <td>
                  <select
                    aria-label={`Role of ${u.name}`}
                    value={u.role}
                    disabled={locked || last}
                    title={last ? 'The last enabled admin keeps the admin role' : undefined}
                    onChange={(e) => isRole(e.target.value) && e.target.value !== u.role && onRole(u.name, e.target.value)}
                  >
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </select>
                </td>
                <td>{u.mfa ? <Badge tone="ok">on</Badge> : <Badge>off</Badge>}</td>
                <td>{u.disabled ? <Badge tone="bad">disabled</Badge> : <Badge tone="ok">enabled</Badge>}</td>
                <td>{fmtTime(u.created_at)}</td>
                <td>
                  {!u.disabled && !last && (
                    <button type="button" className="danger" disabled={locked} onClick={() => onDisable(u.name)} aria-label={`Disable ${u.name}`}>
                      Disable
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Name, role and an optional password (left empty, the server generates one and answers it once). */
export function CreateUserForm({ onCreate }: { onCreate(input: { name: string; role: Role; password?: string }): Promise<void> }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const invalid = nameError(name);
    if (invalid) return setError(invalid);
    setBusy(true);
    setError(null);
    try {
      await onCreate({ name: name.trim(), role, ...(password ? { password } : {}) });
      setName('');
      setPassword('');
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="form-grid" onSubmit={submit} aria-label="Create user">
      <label>
        User name
        <input name="new-user-name" value={name} onChange={(e) => setName(e.target.value)} maxLength={64} autoComplete="off" />
      </label>
      <label>
        Role
        <select name="new-user-role" value={role} onChange={(e) => isRole(e.target.value) && setRole(e.target.value)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <label>
        Password (empty: generated)
        <input name="new-user-password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />
      </label>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          Create user
        </button>
      </div>
      <FormError message={error} />
    </form>
  );
}

/** The users card: the table, a create form, the generated password once, and a confirmed disable. */
export function Users() {
  const { api } = useServices();
  const users = useResource((a) => a.get<{ users: User[] }>('/api/v1/users').then((r) => r.users), []);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ name: string; password: string } | null>(null);
  const [disabling, setDisabling] = useState<string | null>(null);

  const change = async (name: string, body: { role?: Role; disabled?: true }) => {
    setBusy(name);
    setError(null);
    try {
      await api.patch(`/api/v1/users/${encodeURIComponent(name)}`, body);
    } catch (err) {
      setError(`${name}: ${(err as Error).message}`);
    } finally {
      setBusy(null);
      users.reload();
    }
  };
  const create = async (input: { name: string; role: Role; password?: string }) => {
    const r = await api.post<{ user: User; password?: string }>('/api/v1/users', input);
    if (r.password) setSecret({ name: r.user.name, password: r.password });
    users.reload();
  };

  return (
    <Card title="Users and roles">
      <FormError message={error} />
      <Async resource={users} empty={(u) => u.length === 0} emptyText="No users yet.">
        {(list) => <UsersTable users={list} busy={busy} onRole={(n, role) => void change(n, { role })} onDisable={setDisabling} />}
      </Async>
      <h3>New user</h3>
      <CreateUserForm onCreate={create} />
      {secret && <NewSecret label={`Password of ${secret.name}:`} secret={secret.password} onDone={() => setSecret(null)} />}
      <ConfirmDialog
        open={disabling !== null}
        title={`Disable ${disabling ?? ''}?`}
        confirmLabel="Disable user"
        danger
        onCancel={() => setDisabling(null)}
        onConfirm={() => {
          const n = disabling;
          setDisabling(null);
          if (n) void change(n, { disabled: true });
        }}
      >
        <p>Their sessions end now and they cannot sign in again. The API has no way to enable a user again.</p>
      </ConfirmDialog>
    </Card>
  );
}
