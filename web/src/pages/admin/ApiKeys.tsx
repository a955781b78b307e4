import { useState, type FormEvent } from 'react';
import { Async, FormError } from '../../components/State';
import { Badge, Card, ConfirmDialog } from '../../components/ui';
import { useResource, useServices } from '../../lib/context';
import { fmtTime } from '../../lib/format';
import { ROLES, type Role } from '../../lib/roles';
import { NewSecret } from './NewSecret';
import { isRole, nameError, sortKeys, type ApiKey } from './shape';

/** API keys by prefix (the key itself is never listed), with a revoke button on the active ones. */
export function ApiKeysTable({ keys, busy, onRevoke }: { keys: readonly ApiKey[]; busy?: string | null; onRevoke(k: ApiKey): void }) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label="API keys">
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Prefix</th>
            <th scope="col">Role</th>
            <th scope="col">Created by</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">State</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {sortKeys(keys).map((k) => (
            <tr key={k.id} data-testid="apikey-row">
              <td>{k.name}</td>
              <td>
                <code>{k.prefix}</code>
              </td>
              <td>{k.role}</td>
              <td>{k.created_by}</td>
              <td>{fmtTime(k.created_at)}</td>
              <td>{k.last_used_at ? fmtTime(k.last_used_at) : <span className="muted">never</span>}</td>
              <td>{k.revoked_at ? <Badge tone="bad">revoked {fmtTime(k.revoked_at)}</Badge> : <Badge tone="ok">active</Badge>}</td>
              <td>
                {!k.revoked_at && (
                  <button type="button" className="danger" disabled={busy === k.id} onClick={() => onRevoke(k)} aria-label={`Revoke key ${k.name} (${k.prefix})`}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function CreateKeyForm({ onCreate }: { onCreate(input: { name: string; role: Role }): Promise<void> }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const invalid = nameError(name);
    if (invalid) return setError(invalid);
    setBusy(true);
    setError(null);
    try {
      await onCreate({ name: name.trim(), role });
      setName('');
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="form-grid" onSubmit={submit} aria-label="Create API key">
      <label>
        Key name
        <input name="new-key-name" value={name} onChange={(e) => setName(e.target.value)} maxLength={64} autoComplete="off" />
      </label>
      <label>
        Key role
        <select name="new-key-role" value={role} onChange={(e) => isRole(e.target.value) && setRole(e.target.value)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          Create key
        </button>
      </div>
      <FormError message={error} />
    </form>
  );
}

/** The API keys card: list, create (the key shown once), confirmed revoke. */
export function ApiKeys() {
  const { api } = useServices();
  const keys = useResource((a) => a.get<{ api_keys: ApiKey[] }>('/api/v1/api-keys').then((r) => r.api_keys), []);
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const create = async (input: { name: string; role: Role }) => {
    const r = await api.post<ApiKey & { key: string }>('/api/v1/api-keys', input);
    setCreated({ name: r.name, key: r.key });
    keys.reload();
  };
  const revoke = async (k: ApiKey) => {
    setBusy(k.id);
    setError(null);
    try {
      await api.delete(`/api/v1/api-keys/${encodeURIComponent(k.id)}`);
    } catch (err) {
      setError(`${k.prefix}: ${(err as Error).message}`);
    } finally {
      setBusy(null);
      keys.reload();
    }
  };

  return (
    <Card title="API keys">
      <FormError message={error} />
      <Async resource={keys} empty={(k) => k.length === 0} emptyText="No API keys yet.">
        {(list) => <ApiKeysTable keys={list} busy={busy} onRevoke={setRevoking} />}
      </Async>
      <h3>New API key</h3>
      <CreateKeyForm onCreate={create} />
      {created && <NewSecret label={`API key ${created.name}:`} secret={created.key} onDone={() => setCreated(null)} />}
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke key ${revoking?.name ?? ''}?`}
        confirmLabel="Revoke key"
        danger
        onCancel={() => setRevoking(null)}
        onConfirm={() => {
          const k = revoking;
          setRevoking(null);
          if (k) void revoke(k);
        }}
      >
        <p>
          Calls with key <code>{revoking?.prefix}</code> are refused from now on.
        </p>
      </ConfirmDialog>
    </Card>
  );
}
