import { Async, ErrorBox, Loading } from '../components/State';
import { Badge, Card, Link, Stat } from '../components/ui';
import { ApiError } from '../lib/api';
import { useResource } from '../lib/context';
import { fmtMoney, fmtPct, fmtQty, fmtTime } from '../lib/format';
import { ApprovalActions, Countdown } from './decisions/ApprovalActions';
import { actionTone, ensembleFacts, pulseRows, regimeOf, voteRows, type Decision, type DecisionOutcome } from './decisions/model';
import { OutcomeCards } from './decisions/OutcomeCards';
import { PulseTable, VoteTable } from './decisions/Tables';

/** Events after which a decision's aftermath may have changed. */
const OUTCOME_EVENTS = ['ApprovalRequested', 'ApprovalDecided', 'OrderSubmitted', 'OrderFilled', 'OrderRejected', 'GateDenied', 'AgentStateChanged'];

/** One decision: reasoning, pulse and regime, the providers' votes, the risk verdict, approval and execution. */
export function DecisionDetail({ id }: { id: string }) {
  const decision = useResource((api) => api.get<Decision>(`/api/v1/decisions/${encodeURIComponent(id)}`), [id], { refreshOn: ['OrderFilled', 'ApprovalDecided'] });
  const outcome = useResource((api) => api.get<DecisionOutcome>(`/api/v1/insight/decisions/${encodeURIComponent(id)}`), [id], { refreshOn: OUTCOME_EVENTS });
  const err = decision.error;
  if (decision.data === undefined) {
    if (err instanceof ApiError && err.status === 404)
      return (
        <>
          <h1>Decision not found</h1>
          <p className="state error" role="alert">
            There is no decision with the id <code>{id}</code>.
          </p>
          <p>
            <Link to="/decisions">Back to the decisions</Link>
          </p>
        </>
      );
    return (
      <>
        <h1>Decision</h1>
        {err ? <ErrorBox error={err} retry={decision.reload} /> : <Loading label="Loading the decision…" />}
      </>
    );
  }
  const d = decision.data;
  const regime = regimeOf(d);
  const facts = ensembleFacts(d);
  const votes = voteRows(d);
  const pulse = pulseRows(d);
  const approval = outcome.data?.approval ?? null;
  return (
    <>
      <p className="crumbs">
        <Link to="/decisions">Decisions</Link> / <code>{d.id}</code>
      </p>
      <h1>
        Decision: {d.action} {d.asset_pair}
      </h1>
      {err && <ErrorBox error={err} retry={decision.reload} />}
      <Card title="Summary">
        <div className="stats">
          <Stat label="Action" value={<Badge tone={actionTone(d.action)}>{d.action}</Badge>} />
          <Stat label="Confidence" value={`${d.confidence} %`} />
          {facts.originalConfidence !== null && facts.originalConfidence !== d.confidence && <Stat label="Before quorum penalty" value={`${facts.originalConfidence} %`} />}
          <Stat label="Entry" value={fmtMoney(d.entry_price)} />
          <Stat label="Size" value={fmtQty(d.suggested_size_units)} />
          <Stat label="Stop-loss" value={fmtMoney(d.stop_loss_price)} />
          <Stat label="Take-profit" value={fmtMoney(d.take_profit_price)} />
          {d.risk_fraction !== undefined && <Stat label="Risk" value={fmtPct(d.risk_fraction)} />}
        </div>
        <dl className="facts">
          <dt>Made</dt>
          <dd>{fmtTime(d.created_at)} UTC</dd>
          <dt>Data as of</dt>
          <dd>{fmtTime(d.timestamp)} UTC</dd>
          <dt>Provider</dt>
          <dd>
            {d.provider}
            {d.model ? ` (${d.model})` : ''}
            {facts.fallback && <> · fallback {facts.fallback}</>}
            {facts.degraded && (
              <>
                {' '}
                <Badge tone="warn">degraded</Badge>
              </>
            )}
          </dd>
          {d.signal && (d.signal.action !== d.action || d.signal.confidence !== d.confidence) && (
            <>
              <dt>Provider said</dt>
              <dd>
                {d.signal.action} at {d.signal.confidence} %
              </dd>
            </>
          )}
          <dt>Executed</dt>
          <dd>{d.executed ? 'yes' : 'no'}</dd>
        </dl>
      </Card>
      <Card title="Reasoning">
        <p className="reasoning">{d.reasoning || <span className="muted">No reasoning recorded.</span>}</p>
        {d.gates && d.gates.length > 0 && (
          <>
            <h3>Held by gates</h3>
            <ul>
              {d.gates.map((g) => (
                <li key={g}>{g}</li>
              ))}
            </ul>
          </>
        )}
      </Card>
      <div className="grid">
        <Card title="Market pulse and regime">
          {regime ? (
            <p>
              Regime <Badge tone="info">{regime.regime}</Badge>
              {regime.timeframe && <span className="muted"> on {regime.timeframe}</span>}
              {regime.reason && <span className="muted"> — {regime.reason}</span>}
            </p>
          ) : (
            <p className="muted">No regime recorded.</p>
          )}
          {d.pulse?.confluence?.direction && (
            <p>
              Confluence {d.pulse.confluence.direction}
              {d.pulse.confluence.strength !== undefined && <span className="muted"> (strength {Math.round(d.pulse.confluence.strength)})</span>}
            </p>
          )}
          {pulse.length ? <PulseTable rows={pulse} /> : <p className="state empty">This decision has no multi-timeframe pulse (recorded before it was kept).</p>}
        </Card>
        <Card title="Providers">
          <dl className="facts">
            <dt>Tier</dt>
            <dd>{facts.tier ?? (facts.ensemble ? 'none (every member failed)' : 'single provider')}</dd>
            {facts.tiersSkipped.length > 0 && (
              <>
                <dt>Tiers skipped</dt>
                <dd>{facts.tiersSkipped.join('; ')}</dd>
              </>
            )}
            <dt>Quorum</dt>
            <dd>
              {facts.quorum ? (
                <>
                  {facts.quorum.answered} of {facts.quorum.required} local providers answered <Badge tone={facts.quorum.met ? 'ok' : 'warn'}>{facts.quorum.met ? 'met' : 'not met'}</Badge>
                  {facts.quorum.penaltyFactor !== null && <span className="muted"> confidence ×{facts.quorum.penaltyFactor}</span>}
                </>
              ) : (
                <span className="muted">not applicable</span>
              )}
            </dd>
            {facts.agreement !== null && (
              <>
                <dt>Agreement</dt>
                <dd>{fmtPct(facts.agreement, 0)}</dd>
              </>
            )}
            {facts.weightsSource && (
              <>
                <dt>Weights</dt>
                <dd>{facts.weightsSource}</dd>
              </>
            )}
          </dl>
          <VoteTable rows={votes} />
        </Card>
      </div>
      <Card title="Approval">
        {approval ? (
          <>
            <p>
              <Badge tone={approval.status === 'approved' ? 'ok' : approval.status === 'pending' ? 'info' : 'bad'}>{approval.status}</Badge>
              {approval.status === 'pending' ? (
                <>
                  {' '}
                  expires in <Countdown expiresAt={approval.expires_at} />
                </>
              ) : (
                approval.decided_at !== null && <span className="muted"> {fmtTime(new Date(approval.decided_at).toISOString())} UTC</span>
              )}
              {approval.note && <span className="muted"> — {approval.note}</span>}
            </p>
            <ApprovalActions
              approval={approval}
              onDone={() => {
                outcome.reload();
                decision.reload();
              }}
            />
          </>
        ) : outcome.data ? (
          <p className="muted">No approval was asked for this decision.</p>
        ) : (
          <Async resource={outcome}>{() => null}</Async>
        )}
      </Card>
      <OutcomeCards resource={outcome} />
    </>
  );
}
