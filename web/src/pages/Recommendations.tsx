import { useState } from 'react';
import { useAction } from '../lib/action';
import { FormError } from '../components/State';
import { useCan, useServices } from '../lib/context';
import { fmtTime } from '../lib/format';
import { recommendations } from '../lib/investor';
import { navigate, useLocation } from '../lib/router';
import { HistoryList, TodayList } from './recommendations/Lists';

const TABS = [
  { id: 'today', label: 'Today' },
  { id: 'history', label: 'History' },
] as const;

/** "Run now": starts the daily run at once (operators and admins; the API refuses the rest). Results arrive as live events. */
function RunNow() {
  const { api } = useServices();
  const { busy, error, run: act } = useAction();
  const [started, setStarted] = useState<string | null>(null);
  const run = async () => {
    const r = await act(() => recommendations.run(api));
    if (r) setStarted(`Run started ${fmtTime(r.value.run.started_at)}: new recommendations appear as they are made.`);
  };
  return (
    <div className="row run-now">
      <button type="button" className="primary" onClick={() => void run()} disabled={busy}>
        Run now
      </button>
      <span role="status" className="muted">
        {started}
      </span>
      <FormError message={error} />
    </div>
  );
}

/** Daily recommendations (not executed trades): today's and the history, each rated by the user; live as runs make and measure them. */
export function Recommendations() {
  const { query } = useLocation();
  const tab = query.get('tab') === 'history' ? 'history' : 'today';
  const operate = useCan('operate');
  return (
    <>
      <h1>Recommendations</h1>
      <p className="muted">Daily suggestions, each measured once its horizon ends. They are not orders: nothing on this page is executed.</p>
      {operate && <RunNow />}
      <div className="tabs rec-tabs" role="tablist" aria-label="Recommendations">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`panel-${t.id}`}
            onClick={() => navigate(t.id === 'today' ? '/recommendations' : '/recommendations?tab=history')}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tab-panel">
        {tab === 'today' ? <TodayList /> : <HistoryList />}
      </div>
    </>
  );
}
