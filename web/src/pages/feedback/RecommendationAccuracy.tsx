import { Async } from '../../components/State';
import { TableWrap } from '../../components/TableWrap';
import { Card, Stat } from '../../components/ui';
import { useResource } from '../../lib/context';
import { fmtPct, signClass } from '../../lib/format';
import { recommendations, type Accuracy, type AccuracyRow, type FeedbackClass } from '../../lib/investor';

export const CLASS_LABEL: Readonly<Record<FeedbackClass, string>> = {
  useful: 'Rated useful',
  not_useful: 'Rated not useful',
  acted: 'Acted on',
  not_acted: 'Not acted on',
  unrated: 'Not rated',
};

const measured = (a: Accuracy): number => a.providers.reduce((n, p) => n + p.samples, 0) + a.feedback_classes.reduce((n, c) => n + c.samples, 0);

function AccuracyTable({ label, head, rows, testId }: { label: string; head: string; rows: readonly (AccuracyRow & { name: string })[]; testId: string }) {
  return (
    <TableWrap label={label}>
      <table>
        <caption className="sr-only">{label}</caption>
        <thead>
          <tr>
            <th scope="col">{head}</th>
            <th scope="col" className="num">
              Measured
            </th>
            <th scope="col" className="num">
              Correct
            </th>
            <th scope="col" className="num">
              Accuracy
            </th>
            <th scope="col" className="num">
              Avg return after costs
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name} data-testid={testId}>
              <th scope="row">{r.name}</th>
              <td className="num">{r.samples}</td>
              <td className="num">{r.hits}</td>
              <td className="num">{fmtPct(r.accuracy, 1)}</td>
              <td className={`num ${signClass(r.avg_return)}`}>{fmtPct(r.avg_return)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/**
 * How right the daily recommendations were once measured, per provider and per how users rated
 * them. Kept apart from the trade panels: these are suggestions, no order was placed for them.
 */
export function RecommendationAccuracyPanel() {
  const res = useResource((api) => recommendations.accuracy(api), [], { refreshOn: ['RecommendationOutcomeMeasured'] });
  return (
    <Card title="Recommendation accuracy (recommendations, not executed trades)" className="rec-accuracy">
      <Async resource={res} empty={(a) => measured(a) === 0} emptyText="No recommendation has been measured yet: each is judged once its horizon ends.">
        {(a) => (
          <>
            <p className="muted">
              Daily recommendations judged after their horizon (target, stop or horizon end), after costs. No order was placed for them; they count in the learned provider weights at the weighting factor below (an
              executed trade counts 1).
            </p>
            <div className="stats">
              <Stat label="Weighting factor" value={<span data-testid="rec-factor">× {a.factor.toFixed(2)}</span>} />
            </div>
            <h3>By provider</h3>
            <AccuracyTable label="Recommendation accuracy by provider" head="Provider" testId="rec-provider-row" rows={a.providers.map((p) => ({ ...p, name: p.provider }))} />
            <h3>By your feedback</h3>
            <AccuracyTable label="Recommendation accuracy by feedback" head="Feedback" testId="rec-class-row" rows={a.feedback_classes.map((c) => ({ ...c, name: CLASS_LABEL[c.class] ?? c.class }))} />
          </>
        )}
      </Async>
    </Card>
  );
}
