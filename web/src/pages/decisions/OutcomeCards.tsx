import { Async } from '../../components/State';
import { Badge, Card } from '../../components/ui';
import type { Resource } from '../../lib/context';
import { fmtMoney, fmtQty, fmtTime } from '../../lib/format';
import type { DecisionOutcome } from './model';
import { TableWrap } from '../../components/TableWrap';

const n = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'string' && v !== '' && Number.isFinite(Number(v)) ? Number(v) : null);

/** The risk gate's verdict (with reason codes) and the execution, from GET /insight/decisions/:id. */
export function OutcomeCards({ resource }: { resource: Resource<DecisionOutcome> }) {
  return (
    <div className="grid">
      <Card title="Risk verdict">
        <Async resource={resource}>
          {(o) =>
            o.risk.status === 'unknown' ? (
              <p className="muted">No risk verdict recorded: the agent did not put this decision to the risk gate (or its record is older than the events kept).</p>
            ) : (
              <>
                <p>
                  <Badge tone={o.risk.status === 'passed' ? 'ok' : 'bad'}>{o.risk.status === 'passed' ? 'passed' : 'denied'}</Badge>
                  {o.risk.at !== null && <span className="muted"> {fmtTime(new Date(o.risk.at).toISOString())} UTC</span>}
                </p>
                {o.risk.denials.length > 0 ? (
                  <TableWrap label="Why the risk gate denied it">
                    <table>
                      <caption className="sr-only">Why the risk gate denied it</caption>
                      <thead>
                        <tr>
                          <th scope="col">Code</th>
                          <th scope="col">Check</th>
                          <th scope="col">Reason</th>
                          <th scope="col" className="num">
                            Value
                          </th>
                          <th scope="col" className="num">
                            Limit
                          </th>
                        </tr>
                      </thead>
                      <tbody>
                        {o.risk.denials.map((x, i) => (
                          <tr key={i} data-testid="denial-row">
                            <td>
                              <code>{x.code}</code>
                            </td>
                            <td>{x.check}</td>
                            <td className="wrap">{x.message}</td>
                            <td className="num">{x.value === null ? '—' : fmtQty(x.value)}</td>
                            <td className="num">{x.limit === null ? '—' : fmtQty(x.limit)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </TableWrap>
                ) : (
                  o.risk.message && <p className="wrap muted">{o.risk.message}</p>
                )}
              </>
            )
          }
        </Async>
      </Card>
      <Card title="Execution">
        <Async resource={resource}>
          {(o) =>
            !o.execution ? (
              <p className="muted">Not executed.</p>
            ) : (
              <>
                <p>
                  <Badge tone={o.execution.status === 'filled' ? 'ok' : 'info'}>{o.execution.status ?? 'sent'}</Badge> <span className="muted">{[o.execution.mode, o.execution.venue].filter(Boolean).join(' · ')}</span>
                  {o.execution.executed_at && <span className="muted"> {fmtTime(o.execution.executed_at)} UTC</span>}
                </p>
                {o.execution.orders && o.execution.orders.length > 0 && (
                  <TableWrap label="Orders sent for this decision">
                    <table>
                      <caption className="sr-only">Orders sent for this decision</caption>
                      <thead>
                        <tr>
                          <th scope="col">Order</th>
                          <th scope="col">Side</th>
                          <th scope="col">State</th>
                          <th scope="col" className="num">
                            Filled
                          </th>
                          <th scope="col" className="num">
                            Avg price
                          </th>
                          <th scope="col" className="num">
                            Fees
                          </th>
                        </tr>
                      </thead>
                      <tbody>
                        {o.execution.orders.map((x, i) => (
                          <tr key={String(x.client_order_id ?? i)}>
                            <td>
                              <code>{String(x.client_order_id ?? '—')}</code>
                            </td>
                            <td>{String(x.side ?? '—')}</td>
                            <td>{String(x.state ?? '—')}</td>
                            <td className="num">
                              {fmtQty(n(x.filled_units))} / {fmtQty(n(x.units))}
                            </td>
                            <td className="num">{fmtMoney(n(x.average_price))}</td>
                            <td className="num">{fmtMoney(n(x.fees))}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </TableWrap>
                )}
              </>
            )
          }
        </Async>
      </Card>
    </div>
  );
}
