import { useState } from 'react';
import { Async } from '../../components/State';
import { Badge, Card, Link } from '../../components/ui';
import { useResource } from '../../lib/context';
import { ApprovalActions, Countdown } from './ApprovalActions';
import { actionTone, type Approval } from './model';
import { TableWrap } from '../../components/TableWrap';

/** Live events that change which approvals are pending. */
export const APPROVAL_EVENTS = ['ApprovalRequested', 'ApprovalDecided'] as const;

/** Pending approvals, soonest expiry first, live; Approve / Reject for roles that may trade. */
export function ApprovalsPanel() {
  const res = useResource((api) => api.get<{ approvals: Approval[] }>('/api/v1/approvals', { status: 'pending' }).then((r) => [...r.approvals].sort((a, b) => a.expires_at - b.expires_at)), [], {
    refreshOn: [...APPROVAL_EVENTS, 'DecisionMade'],
  });
  const [last, setLast] = useState<{ text: string; failed: boolean } | null>(null);
  return (
    <Card title="Pending approvals" className="approvals">
      {last && (
        <p role={last.failed ? 'alert' : 'status'} className={last.failed ? 'down' : 'muted'}>
          {last.text}
        </p>
      )}
      <Async resource={res} empty={(a) => a.length === 0} emptyText="No decision awaits approval.">
        {(approvals) => (
          <TableWrap label="Decisions awaiting approval">
            <table>
              <caption className="sr-only">Decisions awaiting approval</caption>
              <thead>
                <tr>
                  <th scope="col">Pair</th>
                  <th scope="col">Action</th>
                  <th scope="col" className="num">
                    Confidence
                  </th>
                  <th scope="col">Decision</th>
                  <th scope="col">Expires in</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {approvals.map((a) => (
                  <tr key={a.id} data-testid="approval-row">
                    <td>{a.pair}</td>
                    <td>
                      <Badge tone={actionTone(a.action)}>{a.action}</Badge>
                    </td>
                    <td className="num">{a.confidence} %</td>
                    <td className="wrap">
                      <Link to={`/decisions/${encodeURIComponent(a.decision_id)}`}>{a.summary || a.decision_id}</Link>
                    </td>
                    <td>
                      <Countdown expiresAt={a.expires_at} />
                    </td>
                    <td>
                      <ApprovalActions
                        approval={a}
                        onDone={(m, failed) => {
                          setLast({ text: `${a.action} ${a.pair}: ${m}`, failed });
                          res.reload();
                        }}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </Async>
    </Card>
  );
}
