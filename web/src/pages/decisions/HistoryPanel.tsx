import { useEffect, useState, type FormEvent } from 'react';
import { ErrorBox, Empty, Loading, LoadMore } from '../../components/State';
import { Badge, Card, Link } from '../../components/ui';
import { useLiveEvents, useServices } from '../../lib/context';
import { fmtMoney, fmtTime } from '../../lib/format';
import { useCursorList } from '../../lib/paging';
import { navigate, useLocation } from '../../lib/router';
import { ACTIONS, actionTone, filtersFromSearch, filtersToQuery, filtersToSearch, type DecisionPage, type DecisionSummary, type HistoryFilters } from './model';
import { TableWrap } from '../../components/TableWrap';

const PAGE = 50;

/** The filter form: applied on submit (and kept in the address so a filtered view can be shared). */
export function HistoryFiltersForm({ value, onApply }: { value: HistoryFilters; onApply(f: HistoryFilters): void }) {
  const [f, setF] = useState(value);
  useEffect(() => setF(value), [value]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(f);
  };
  return (
    <form className="form-grid decision-filters" onSubmit={submit} aria-label="Filter decisions">
      <label>
        Asset
        <input name="asset" value={f.asset} placeholder="e.g. BTCUSD" onChange={(e) => setF({ ...f, asset: e.target.value })} />
      </label>
      <label>
        Action
        <select name="action" value={f.action} onChange={(e) => setF({ ...f, action: e.target.value as HistoryFilters['action'] })}>
          <option value="">Any</option>
          {ACTIONS.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </label>
      <label>
        Provider
        <input name="provider" value={f.provider} placeholder="e.g. ensemble" onChange={(e) => setF({ ...f, provider: e.target.value })} />
      </label>
      <label>
        Executed
        <select name="executed" value={f.executed} onChange={(e) => setF({ ...f, executed: e.target.value as HistoryFilters['executed'] })}>
          <option value="">Any</option>
          <option value="true">Executed</option>
          <option value="false">Not executed</option>
        </select>
      </label>
      <div className="row">
        <button type="submit" className="primary">
          Apply filters
        </button>
        <button
          type="button"
          onClick={() => {
            const none = { asset: '', action: '', provider: '', executed: '' } as const;
            setF(none);
            onApply(none);
          }}
        >
          Clear
        </button>
      </div>
    </form>
  );
}

/**
 * The decision history: newest first, filtered, a page at a time ("Load more" follows the
 * server's cursor); decisions made meanwhile appear on top as they are made (DecisionMade).
 */
export function HistoryPanel() {
  const { api } = useServices();
  const { query } = useLocation();
  const search = query.toString();
  // The filters come from the address; a live refresh asks only for the newest few.
  const list = useCursorList<DecisionSummary>((cursor, wanted) => {
    const f = filtersFromSearch(new URLSearchParams(search));
    return api.get<DecisionPage>('/api/v1/decisions', filtersToQuery(f, { limit: wanted === 'top' ? 20 : PAGE, cursor })).then((p) => ({ items: p.decisions, next: p.next_cursor }));
  }, search);

  // New decisions: the newest page again, merged on top. The server applies the filters, so a decision that does not match never shows.
  useLiveEvents(['DecisionMade', 'OrderFilled'], list.refreshTop);

  const current = filtersFromSearch(query);
  return (
    <Card title="Decision history" className="decision-history">
      <HistoryFiltersForm value={current} onApply={(f) => navigate(`/decisions${filtersToSearch(f)}`)} />
      {list.error && <ErrorBox error={list.error} retry={list.items.length ? list.loadMore : list.loadFirst} />}
      {list.loading ? (
        <Loading label="Loading decisions…" />
      ) : !list.items.length && !list.error ? (
        <Empty>{filtersToSearch(current) ? 'No decision matches these filters.' : 'No decisions yet.'}</Empty>
      ) : (
        list.items.length > 0 && <DecisionTable decisions={list.items} />
      )}
      <LoadMore list={list} />
    </Card>
  );
}

export function DecisionTable({ decisions }: { decisions: readonly DecisionSummary[] }) {
  return (
    <TableWrap label="Decisions, newest first">
      <table>
        <caption className="sr-only">Decisions, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Pair</th>
            <th scope="col">Action</th>
            <th scope="col" className="num">
              Confidence
            </th>
            <th scope="col" className="num">
              Entry
            </th>
            <th scope="col">Provider</th>
            <th scope="col">Regime</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {decisions.map((d) => (
            <tr key={d.id} data-testid="decision-row">
              <td>
                <Link to={`/decisions/${encodeURIComponent(d.id)}`}>{fmtTime(d.created_at)}</Link>
              </td>
              <td>{d.asset_pair}</td>
              <td>
                <Badge tone={actionTone(d.action)}>{d.action}</Badge>
                {d.gates && d.gates.length > 0 && (
                  <span className="muted" title={d.gates.join('; ')}>
                    {' '}
                    (gated)
                  </span>
                )}
              </td>
              <td className="num">{d.confidence} %</td>
              <td className="num">{fmtMoney(d.entry_price)}</td>
              <td>{d.provider}</td>
              <td>{d.regime ?? '—'}</td>
              <td>{d.executed ? <Badge tone="info">executed</Badge> : <span className="muted">not executed</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
