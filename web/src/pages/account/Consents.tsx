import { useId } from 'react';
import { useAction } from '../../lib/action';
import { Async, FormError } from '../../components/State';
import { Badge, Card } from '../../components/ui';
import { useResource, useServices } from '../../lib/context';
import { fmtTime } from '../../lib/format';
import { consents, type Consent } from '../../lib/investor';

const PURPOSE_LABEL: Readonly<Record<string, string>> = {
  telegram_recommendations: 'Recommendations by Telegram',
  feedback_learning: 'Learning from my feedback',
};
export const purposeLabel = (purpose: string): string => PURPOSE_LABEL[purpose] ?? purpose.replace(/_/g, ' ');

function ConsentRow({ consent, onChanged }: { consent: Consent; onChanged(c: Consent): void }) {
  const { api } = useServices();
  const { busy, error, run } = useAction();
  const descId = useId();
  const toggle = async (granted: boolean) => {
    const r = await run(() => consents.set(api, consent.purpose, granted), purposeLabel(consent.purpose));
    if (r) onChanged(r.value);
  };
  return (
    <li className="consent" data-testid="consent" data-purpose={consent.purpose}>
      <label className="check">
        <input type="checkbox" checked={consent.granted} disabled={busy} aria-describedby={descId} onChange={(e) => void toggle(e.target.checked)} />
        {purposeLabel(consent.purpose)}
      </label>
      <p id={descId} className="muted consent-text">
        {consent.description}{' '}
        <span className="small">
          (version {consent.version}; {consent.at ? `${consent.granted ? 'given' : 'withdrawn'} ${fmtTime(consent.at)}` : 'never given'})
        </span>
      </p>
      {consent.granted ? <Badge tone="ok">given</Badge> : <Badge>not given</Badge>}
      <FormError message={error} />
    </li>
  );
}

/** Every purpose the platform asks consent for, as it stands now; each change is kept in the server's history. */
export function ConsentsCard() {
  const res = useResource((api) => consents.list(api), []);
  return (
    <Card title="Consents">
      <p className="muted">What you allow, purpose by purpose. You can withdraw a consent at any time; it applies from then on.</p>
      <Async resource={res} empty={(d) => d.length === 0} emptyText="No purpose needs your consent.">
        {(list) => (
          <ul className="plain consents">
            {list.map((c) => (
              <ConsentRow key={c.purpose} consent={c} onChanged={(n) => res.update((xs) => xs.map((x) => (x.purpose === n.purpose ? n : x)))} />
            ))}
          </ul>
        )}
      </Async>
    </Card>
  );
}
