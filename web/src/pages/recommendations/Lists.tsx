import { useState, type FormEvent } from 'react';
import { Async, Empty, ErrorBox, Loading, LoadMore } from '../../components/State';
import { useLiveEvents, useResource, useServices } from '../../lib/context';
import { fmtTime } from '../../lib/format';
import { useCursorList } from '../../lib/paging';
import { recommendations, type Recommendation, type Run } from '../../lib/investor';
import { applyOutcome, isOutcomeEvent, replaceRec } from './model';
import { RecommendationCard } from './RecommendationCard';

export const REC_EVENTS = ['RecommendationCreated', 'RecommendationOutcomeMeasured'] as const;
const PAGE = 20;

function RecList({ items, onChanged }: { items: readonly Recommendation[]; onChanged(r: Recommendation): void }) {
  return (
    <div className="rec-list">
      {items.map((r) => (
        <RecommendationCard key={r.id} rec={r} onChanged={onChanged} />
      ))}
    </div>
  );
}

function RunLine({ run }: { run: Run | null }) {
  if (!run) return null;
  return (
    <p className="muted" data-testid="run">
      Run of {fmtTime(run.started_at)}
      {run.finished_at ? ` (finished ${fmtTime(run.finished_at)})` : ' (running)'}: {run.pairs} pair{run.pairs === 1 ? '' : 's'}, {run.recommendations} recommendation{run.recommendations === 1 ? '' : 's'}
      {run.errors > 0 && (
        <span className="warn-text">
          , {run.errors} error{run.errors === 1 ? '' : 's'}
        </span>
      )}
    </p>
  );
}

/** Today's recommendations (the caller's latest run); reloaded when a recommendation is made or measured. */
export function TodayList() {
  const res = useResource((api) => recommendations.daily(api), [], { refreshOn: REC_EVENTS });
  return (
    <Async resource={res} empty={(d) => d.recommendations.length === 0} emptyText={res.data?.run ? 'The latest run made no recommendation.' : 'No recommendations yet: the daily run has not run for you.'}>
      {(d) => (
        <>
          <RunLine run={d.run} />
          <RecList items={d.recommendations} onChanged={(r) => res.update((cur) => ({ ...cur, recommendations: replaceRec(cur.recommendations, r) }))} />
        </>
      )}
    </Async>
  );
}

/** Every past recommendation, newest first, a page at a time (the server's cursor), filtered by pair; outcomes update live. */
export function HistoryList() {
  const { api } = useServices();
  const [pair, setPair] = useState('');
  const [applied, setApplied] = useState('');
  const list = useCursorList<Recommendation>((cursor) => recommendations.history(api, { limit: PAGE, pair: applied, cursor }).then((p) => ({ items: p.recommendations, next: p.next_cursor })), applied);

  useLiveEvents(REC_EVENTS, (e) => {
    const p = e.payload;
    if (e.type === 'RecommendationOutcomeMeasured' && isOutcomeEvent(p)) list.update((items) => applyOutcome(items, p, e.at));
    // A new one: the newest page again, merged on top (the server applies the pair filter).
    else list.refreshTop();
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setApplied(pair.trim());
  };
  return (
    <>
      <form className="row rec-filter" onSubmit={submit} aria-label="Filter recommendations">
        <label>
          Pair
          <input name="pair" value={pair} placeholder="e.g. BTCUSD" onChange={(e) => setPair(e.target.value)} />
        </label>
        <button type="submit">Apply filter</button>
        {applied && (
          <button type="button" onClick={() => (setPair(''), setApplied(''))}>
            Clear
          </button>
        )}
      </form>
      {list.error && <ErrorBox error={list.error} retry={list.items.length ? list.loadMore : list.loadFirst} />}
      {list.loading ? (
        <Loading label="Loading recommendations…" />
      ) : !list.items.length && !list.error ? (
        <Empty>{applied ? `No recommendation for ${applied}.` : 'No recommendations yet.'}</Empty>
      ) : (
        <RecList items={list.items} onChanged={(r) => list.update((items) => replaceRec(items, r))} />
      )}
      <LoadMore list={list} />
    </>
  );
}
