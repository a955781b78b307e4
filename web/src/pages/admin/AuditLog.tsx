import { useEffect, useState, type FormEvent } from 'react';
import { Async, ErrorBox, FormError } from '../../components/State';
import { Badge, Card } from '../../components/ui';
import { useResource, useServices } from '../../lib/context';
import { fmtTime } from '../../lib/format';
import { auditFiltersError, auditQuery, NO_FILTERS, paramsSummary, resultTone, verifyStatus, type AuditEntry, type AuditFilters, type AuditPage, type AuditVerify } from './shape';

/** The verification answer: intact (how many entries) or the first altered, missing or reordered entry. */
export function VerifyBadge({ result }: { result: AuditVerify }) {
  const s = verifyStatus(result);
  return (
    <p className="audit-verify" data-testid="audit-verify" data-ok={result.ok ? 'true' : 'false'}>
      <Badge tone={s.tone}>{s.label}</Badge> <span>{s.detail}</span>
    </p>
  );
}

export function AuditTable({ entries }: { entries: readonly AuditEntry[] }) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label="Audit log">
      <table>
        <thead>
          <tr>
            <th scope="col" className="num">
              #
            </th>
            <th scope="col">Time (UTC)</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Result</th>
            <th scope="col">Parameters</th>
            <th scope="col">Request</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.seq} data-testid="audit-row">
              <td className="num">{e.seq}</td>
              <td>{fmtTime(e.at)}</td>
              <td>
                {e.actor} <span className="muted">({e.role})</span>
              </td>
              <td>
                <code>{e.action}</code>
              </td>
              <td>
                <Badge tone={resultTone(e.result)}>{e.result}</Badge>
                {e.error_code && <span className="muted"> {e.error_code}</span>}
              </td>
              <td className="wrap" title={JSON.stringify(e.params)}>
                {paramsSummary(e.params)}
              </td>
              <td className="muted" title={`hash ${e.hash}`}>
                {e.request_id ?? '—'}
                {e.ip ? ` · ${e.ip}` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function AuditFilterForm({ initial, onApply }: { initial: AuditFilters; onApply(f: AuditFilters): void }) {
  const [f, setF] = useState<AuditFilters>(initial);
  const [error, setError] = useState<string | null>(null);
  const set = (k: keyof AuditFilters) => (e: { target: { value: string } }) => setF((x) => ({ ...x, [k]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const invalid = auditFiltersError(f);
    setError(invalid);
    if (!invalid) onApply(f);
  };
  return (
    <form className="form-grid" onSubmit={submit} aria-label="Audit log filters">
      <label>
        Action
        <input name="action" value={f.action} onChange={set('action')} placeholder="e.g. user.create" maxLength={100} />
      </label>
      <label>
        Actor
        <input name="actor" value={f.actor} onChange={set('actor')} placeholder="user or key name" maxLength={200} />
      </label>
      <label>
        From (UTC)
        <input name="from" type="datetime-local" value={f.from} onChange={set('from')} />
      </label>
      <label>
        To (UTC)
        <input name="to" type="datetime-local" value={f.to} onChange={set('to')} />
      </label>
      <div className="form-actions row">
        <button type="submit" className="primary">
          Apply filters
        </button>
        <button
          type="button"
          onClick={() => {
            setF(NO_FILTERS);
            setError(null);
            onApply(NO_FILTERS);
          }}
        >
          Clear filters
        </button>
      </div>
      <FormError message={error} />
    </form>
  );
}

/** The audit log for admins and auditors: verification status, filters, newest first, more on demand. */
export function AuditLog() {
  const { api } = useServices();
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  const verify = useResource((a) => a.get<AuditVerify>('/api/v1/audit/verify'), []);
  const first = useResource((a) => a.get<AuditPage>('/api/v1/audit', auditQuery(filters)), [filters]);
  const [more, setMore] = useState<{ entries: AuditEntry[]; cursor: string | null } | null>(null);
  const [moreError, setMoreError] = useState<Error | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  useEffect(() => {
    setMore(null);
    setMoreError(null);
  }, [first.data]);

  const cursor = more ? more.cursor : (first.data?.next_cursor ?? null);
  const loadMore = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await api.get<AuditPage>('/api/v1/audit', auditQuery(filters, cursor));
      setMore((m) => ({ entries: [...(m?.entries ?? []), ...page.entries], cursor: page.next_cursor }));
    } catch (err) {
      setMoreError(err as Error);
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <Card
      title="Audit log"
      actions={
        <button
          type="button"
          onClick={() => {
            verify.reload();
            first.reload();
          }}
        >
          Refresh
        </button>
      }
    >
      <Async resource={verify}>{(v) => <VerifyBadge result={v} />}</Async>
      <AuditFilterForm initial={filters} onApply={setFilters} />
      <Async resource={first} empty={(p) => p.entries.length === 0} emptyText="No audit entries match.">
        {(p) => (
          <>
            <AuditTable entries={[...p.entries, ...(more?.entries ?? [])]} />
            {moreError && <ErrorBox error={moreError} retry={() => void loadMore()} />}
            {cursor && (
              <button type="button" onClick={() => void loadMore()} disabled={loadingMore}>
                {loadingMore ? 'Loading…' : 'Load older entries'}
              </button>
            )}
          </>
        )}
      </Async>
    </Card>
  );
}
