import { useEffect, useId, useState, type FormEvent } from 'react';
import { useAction } from '../../lib/action';
import { FormError } from '../../components/State';
import { Badge, Card, Link } from '../../components/ui';
import { useServices } from '../../lib/context';
import { fmtMoney, fmtPct, fmtTime, signClass } from '../../lib/format';
import { recommendations, type Recommendation } from '../../lib/investor';
import { actionTone } from '../decisions/model';
import { correctLabel, feedbackBody, OUTCOME_LABEL, outcomeTone } from './model';

const NOTE_MAX = 1000;

/** Rate a recommendation: useful or not, acted on or not, an optional note; the saved rating is shown above it. */
export function FeedbackForm({ rec, onSaved }: { rec: Recommendation; onSaved(r: Recommendation): void }) {
  const { api } = useServices();
  const fb = rec.feedback;
  const [useful, setUseful] = useState<boolean | null>(fb?.useful ?? null);
  const [acted, setActed] = useState(fb?.acted ?? false);
  const [note, setNote] = useState(fb?.note ?? '');
  const { busy, error, setError, run } = useAction();
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    setUseful(rec.feedback?.useful ?? null);
    setActed(rec.feedback?.acted ?? false);
    setNote(rec.feedback?.note ?? '');
  }, [rec.feedback]);
  const id = useId();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (useful === null) return setError('useful: choose useful or not useful');
    setSaved(false);
    const r = await run(() => recommendations.feedback(api, rec.id, feedbackBody(useful, acted, note)));
    if (!r) return;
    onSaved(r.value);
    setSaved(true);
  };
  return (
    <form className="rec-feedback" onSubmit={submit} aria-label={`Rate the ${rec.pair} recommendation`}>
      {fb && (
        <p className="saved-feedback" data-testid="saved-feedback">
          Your rating: <Badge tone={fb.useful ? 'ok' : 'bad'}>{fb.useful ? 'useful' : 'not useful'}</Badge> <Badge tone="info">{fb.acted ? 'acted on' : 'not acted on'}</Badge>
          {fb.note && <span className="wrap-text"> “{fb.note}”</span>} <span className="muted small">({fmtTime(fb.at)})</span>
        </p>
      )}
      <fieldset className="rate">
        <legend>Was this useful?</legend>
        <label className="check">
          <input type="radio" name={`useful-${id}`} checked={useful === true} onChange={() => setUseful(true)} />
          Useful
        </label>
        <label className="check">
          <input type="radio" name={`useful-${id}`} checked={useful === false} onChange={() => setUseful(false)} />
          Not useful
        </label>
        <label className="check">
          <input type="checkbox" checked={acted} onChange={(e) => setActed(e.target.checked)} />I acted on it
        </label>
      </fieldset>
      <label>
        Note (optional)
        <textarea value={note} maxLength={NOTE_MAX} rows={2} onChange={(e) => setNote(e.target.value)} />
      </label>
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {fb ? 'Update rating' : 'Save rating'}
        </button>
        {saved && (
          <span role="status" className="ok-text">
            Saved
          </span>
        )}
      </div>
      <FormError message={error} />
    </form>
  );
}

/** One recommendation: what to do, its levels and horizon, the votes, the reasoning (expandable), its disclosure, outcome and rating. */
export function RecommendationCard({ rec, onChanged }: { rec: Recommendation; onChanged(r: Recommendation): void }) {
  const [open, setOpen] = useState(false);
  const reasonId = useId();
  const o = rec.outcome;
  return (
    <Card
      className="rec"
      title={
        <>
          {rec.pair} <Badge tone={actionTone(rec.action)}>{rec.action}</Badge>
        </>
      }
      actions={<span className="muted small">{fmtTime(rec.created_at)}</span>}
    >
      <div data-testid="rec" data-id={rec.id}>
        <p className="disclosure" role="note">
          {rec.disclosure}
        </p>
        <dl className="facts">
          <dt>Confidence</dt>
          <dd>{rec.confidence} %</dd>
          <dt>Horizon</dt>
          <dd>
            {rec.horizon} (ends {fmtTime(rec.horizon_ends_at)})
          </dd>
          <dt>Entry</dt>
          <dd>{fmtMoney(rec.entry)}</dd>
          <dt>Stop</dt>
          <dd>{fmtMoney(rec.stop)}</dd>
          <dt>Target</dt>
          <dd>{fmtMoney(rec.target)}</dd>
          {rec.decision_id && (
            <>
              <dt>Decision</dt>
              <dd>
                <Link to={`/decisions/${encodeURIComponent(rec.decision_id)}`}>view</Link>
              </dd>
            </>
          )}
          <dt>Outcome</dt>
          <dd data-testid="rec-outcome">
            <Badge tone={outcomeTone(o.status, o.correct)}>{OUTCOME_LABEL[o.status] ?? o.status}</Badge>
            {o.status !== 'pending' && (
              <>
                {' '}
                {correctLabel(o.correct)} · return after costs <span className={signClass(o.return_after_costs)}>{fmtPct(o.return_after_costs)}</span>
                {o.exit_price !== null && <> · exit {fmtMoney(o.exit_price)}</>}
                {o.measured_at && <span className="muted"> · {fmtTime(o.measured_at)}</span>}
              </>
            )}
          </dd>
        </dl>
        {rec.votes.length > 0 && (
          <>
            <h3>Providers’ votes</h3>
            <ul className="plain votes">
              {rec.votes.map((v) => (
                <li key={v.provider} data-testid="vote">
                  {v.provider} <Badge tone={actionTone(v.action)}>{v.action}</Badge> {v.confidence} %
                </li>
              ))}
            </ul>
          </>
        )}
        <button type="button" className="link-button" aria-expanded={open} aria-controls={reasonId} onClick={() => setOpen((x) => !x)}>
          {open ? 'Hide reasoning' : 'Show reasoning'}
        </button>
        <div id={reasonId} hidden={!open}>
          <p className="reasoning">{rec.reasoning || <span className="muted">No reasoning recorded.</span>}</p>
        </div>
        <FeedbackForm rec={rec} onSaved={onChanged} />
      </div>
    </Card>
  );
}
