import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { ErrorBox, Empty, Loading } from '../../components/State';
import { Badge, Card, Link } from '../../components/ui';
import { useLiveEvents, useServices } from '../../lib/context';
import { fmtMoney, fmtTime } from '../../lib/format';
import { navigate, useLocation } from '../../lib/router';
import { ACTIONS, actionTone, filtersFromSearch, filtersToQuery, filtersToSearch, mergeNewest, type DecisionPage, type DecisionSummary, type HistoryFilters } from './model';
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
  const filters = useRef<HistoryFilters>(filtersFromSearch(query));
  const [state, setState] = useState<{ items: DecisionSummary[]; cursor: string | null; loading: boolean; more: boolean; error: Error | null }>({ items: [], cursor: null, loading: true, more: false, error: null });
  const generation = useRef(0);

  const loadFirst = useCallback(() => {
    const gen = ++generation.current;
    const f = filtersFromSearch(new URLSearchParams(search));
    filters.current = f;
    setState((s) => ({ ...s, items: [], loading: true, error: null }));
    api.get<DecisionPage>('/api/v1/decisions', filtersToQuery(f, { limit: PAGE })).then(
      (p) => gen === generation.current && setState({ items: p.decisions, cursor: p.next_cursor, loading: false, more: false, error: null }),
      (error: Error) => gen === generation.current && setState((s) => ({ ...s, loading: false, error })),
    );
  }, [api, search]);
  useEffect(loadFirst, [loadFirst]);

  const loadMore = () => {
    const gen = generation.current;
    setState((s) => ({ ...s, more: true, error: null }));
    api.get<DecisionPage>('/api/v1/decisions', filtersToQuery(filters.current, { limit: PAGE, cursor: state.cursor })).then(
      (p) => gen === generation.current && setState((s) => ({ ...s, items: mergeNewest(s.items, p.decisions), cursor: p.next_cursor, more: false })),
      (error: Error) => gen === generation.current && setState((s) => ({ ...s, more: false, error })),
    );
  };

  // New decisions: the newest page again, merged on top (coalesced while one is in flight).
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (pending.current && clearTimeout(pending.current)), []);
  // The server applies the filters, so a decision that does not match never shows.
  useLiveEvents(['DecisionMade', 'OrderFilled'], () => {
    if (pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      const gen = generation.current;
      api.get<DecisionPage>('/api/v1/decisions', filtersToQuery(filters.current, { limit: 20 })).then(
        (p) => gen === generation.current && setState((s) => ({ ...s, items: mergeNewest(s.items, p.decisions) })),
        () => undefined,
      );
    }, 300);
  });

  const current = filtersFromSearch(query);
  return (
    <Card title="Decision history" className="decision-history">
      <HistoryFiltersForm value={current} onApply={(f) => navigate(`/decisions${filtersToSearch(f)}`)} />
      {state.error && <ErrorBox error={state.error} retry={state.items.length ? loadMore : loadFirst} />}
      {state.loading ? (
        <Loading label="Loading decisions…" />
      ) : !state.items.length && !state.error ? (
        <Empty>{filtersToSearch(current) ? 'No decision matches these filters.' : 'No decisions yet.'}</Empty>
      ) : (
        state.items.length > 0 && <DecisionTable decisions={state.items} />
      )}
      {state.cursor && !state.loading && (
        <div className="row load-more">
          <button type="button" onClick={loadMore} disabled={state.more}>
            {state.more ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
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
