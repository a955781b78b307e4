import { useMemo, useState } from 'react';
import { TimeChart } from '../../components/charts/TimeChart';
import { Async } from '../../components/State';
import { Badge, Card, Link, Stat } from '../../components/ui';
import { useResource } from '../../lib/context';
import { fmtMoney, fmtPct, fmtQty, fmtSigned, fmtTime, signClass } from '../../lib/format';
import { changeRows, exitLabel, fmtHold, tradesNewestFirst, weightScopes, weightSeries, type MetricsAnswer, type ProvidersAnswer, type WeightsAnswer } from './model';
import { TableWrap } from '../../components/TableWrap';

const iso = (ms: number) => new Date(ms).toISOString();
const LEARN_EVENTS = ['TradeLearned', 'WeightsChanged', 'PositionClosed'];

export function ProvidersPanel() {
  const res = useResource((api) => api.get<ProvidersAnswer>('/api/v1/memory/providers'), [], { refreshOn: LEARN_EVENTS });
  return (
    <Card title="Provider performance" actions={res.data?.frozen ? <Badge tone="warn">weights frozen</Badge> : undefined}>
      <Async resource={res} empty={(d) => d.providers.length === 0} emptyText="No provider has been judged on a closed trade yet.">
        {(d) => (
          <>
            <p className="muted">
              Judged on {d.outcomes} learned trade{d.outcomes === 1 ? '' : 's'} ({d.learning.kind === 'replay' ? `replay sandbox ${d.learning.sandbox}` : 'the account'}): each provider by what its own call would have
              earned.
            </p>
            <TableWrap label="Per-provider performance">
              <table>
                <caption className="sr-only">Per-provider performance</caption>
                <thead>
                  <tr>
                    <th scope="col">Provider</th>
                    <th scope="col" className="num">
                      Trades
                    </th>
                    <th scope="col" className="num">
                      Win rate
                    </th>
                    <th scope="col" className="num">
                      P&amp;L
                    </th>
                    <th scope="col" className="num">
                      Avg return
                    </th>
                    <th scope="col" className="num">
                      Weight
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {d.providers.map((p) => (
                    <tr key={p.provider} data-testid="provider-row">
                      <th scope="row">{p.provider}</th>
                      <td className="num">{p.trades}</td>
                      <td className="num">{fmtPct(p.win_rate, 1)}</td>
                      <td className={`num ${signClass(p.pnl)}`}>{fmtSigned(p.pnl)}</td>
                      <td className={`num ${signClass(p.average_return)}`}>{fmtPct(p.average_return)}</td>
                      <td className="num">{fmtPct(p.weight, 1)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          </>
        )}
      </Async>
    </Card>
  );
}

export function WeightsPanel() {
  const res = useResource((api) => api.get<WeightsAnswer>('/api/v1/memory/weights', { history: true }), [], { refreshOn: ['WeightsChanged'] });
  const history = res.data?.history;
  const scopes = useMemo(() => weightScopes(history ?? []), [history]);
  const [picked, setPicked] = useState<string | null>(null);
  const scope = picked && scopes.includes(picked) ? picked : (scopes[0] ?? 'all');
  const series = useMemo(() => weightSeries(history ?? [], scope), [history, scope]);
  const rows = useMemo(() => changeRows(history ?? [], scope), [history, scope]);
  return (
    <Card
      title="Ensemble weights over time"
      actions={
        scopes.length > 1 && (
          <label className="inline">
            Scope
            <select value={scope} onChange={(e) => setPicked(e.target.value)}>
              {scopes.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
        )
      }
    >
      <Async resource={res} empty={(d) => !d.history?.length} emptyText="The weights have not changed yet: they are learned from closed trades.">
        {(d) => (
          <>
            <p className="muted">
              Current:{' '}
              {Object.entries(d.weights)
                .map(([p, w]) => `${p} ${fmtPct(w, 1)}`)
                .join(', ') || 'configured weights'}
              {d.frozen && ' (frozen)'} · learning starts after {d.min_outcomes} outcomes.
            </p>
            <TimeChart series={series} label={`Ensemble weights over time (${scope})`} height={260} />
            <TableWrap label="Weight changes, newest first">
              <table>
                <caption className="sr-only">Weight changes, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    <th scope="col">Scope</th>
                    <th scope="col" className="num">
                      Outcomes
                    </th>
                    <th scope="col">Change</th>
                    <th scope="col">Reason</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.id} data-testid="weight-change-row">
                      <td>{fmtTime(iso(r.at))}</td>
                      <td>{r.scope}</td>
                      <td className="num">{r.outcomes}</td>
                      <td className="wrap">
                        {r.deltas.length
                          ? r.deltas.map((x) => (
                              <span key={x.provider} className="delta">
                                {x.provider} {fmtPct(x.from, 1)} → {fmtPct(x.to, 1)}{' '}
                                <span className={signClass(x.delta)}>
                                  ({x.delta > 0 ? '+' : ''}
                                  {(x.delta * 100).toFixed(1)} pt)
                                </span>
                              </span>
                            ))
                          : 'no change'}
                      </td>
                      <td className="wrap">{r.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          </>
        )}
      </Async>
    </Card>
  );
}

export function TradesPanel() {
  const res = useResource((api) => api.get<MetricsAnswer>('/api/v1/monitor/metrics', { limit: 200 }), [], { refreshOn: LEARN_EVENTS });
  const trades = useMemo(() => tradesNewestFirst(res.data?.trades ?? []), [res.data]);
  return (
    <Card title="Closed trades">
      <Async resource={res} empty={(d) => d.trades.length === 0} emptyText="No trade has closed yet.">
        {(d) => (
          <>
            <div className="stats">
              <Stat label="Trades" value={d.summary.trades} />
              <Stat label="Win rate" value={fmtPct(d.summary.win_rate, 1)} />
              <Stat label="P&L" value={fmtSigned(d.summary.pnl)} className={signClass(d.summary.pnl)} />
              <Stat label="Fees" value={fmtMoney(d.summary.fees)} />
              <Stat label="Avg hold" value={fmtHold(d.summary.average_hold_ms)} />
              <Stat label="Avg MFE" value={fmtPct(d.summary.average_mfe)} />
              <Stat label="Avg MAE" value={fmtPct(d.summary.average_mae)} />
            </div>
            {Object.keys(d.summary.by_exit).length > 0 && (
              <p className="muted">
                Exits:{' '}
                {Object.entries(d.summary.by_exit)
                  .map(([k, v]) => `${exitLabel(k)} ${v}`)
                  .join(' · ')}
              </p>
            )}
            <TableWrap label="Closed trades, newest first">
              <table>
                <caption className="sr-only">Closed trades, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Closed</th>
                    <th scope="col">Pair</th>
                    <th scope="col">Side</th>
                    <th scope="col" className="num">
                      Units
                    </th>
                    <th scope="col" className="num">
                      Entry
                    </th>
                    <th scope="col" className="num">
                      Exit
                    </th>
                    <th scope="col" className="num">
                      P&amp;L
                    </th>
                    <th scope="col" className="num">
                      Return
                    </th>
                    <th scope="col" className="num">
                      MFE
                    </th>
                    <th scope="col" className="num">
                      MAE
                    </th>
                    <th scope="col">Held</th>
                    <th scope="col">Exit reason</th>
                    <th scope="col">Decision</th>
                  </tr>
                </thead>
                <tbody>
                  {trades.map((t) => (
                    <tr key={t.id} data-testid="trade-row">
                      <td>{fmtTime(iso(t.closed_at))}</td>
                      <td>{t.pair}</td>
                      <td>{t.side}</td>
                      <td className="num">{fmtQty(t.units)}</td>
                      <td className="num">{fmtMoney(t.entry_price)}</td>
                      <td className="num">{fmtMoney(t.exit_price)}</td>
                      <td className={`num ${signClass(t.pnl)}`}>{fmtSigned(t.pnl)}</td>
                      <td className={`num ${signClass(t.return_fraction)}`}>{fmtPct(t.return_fraction)}</td>
                      <td className="num">{fmtPct(t.mfe)}</td>
                      <td className="num">{fmtPct(t.mae)}</td>
                      <td>{fmtHold(t.holding_ms)}</td>
                      <td title={t.exit_detail || undefined}>{exitLabel(t.exit_reason)}</td>
                      <td>{t.decision_id ? <Link to={`/decisions/${encodeURIComponent(t.decision_id)}`}>view</Link> : <span className="muted">—</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          </>
        )}
      </Async>
    </Card>
  );
}
