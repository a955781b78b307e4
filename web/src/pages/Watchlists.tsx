import { useState, type FormEvent } from 'react';
import { useAction } from '../lib/action';
import { Async, FormError } from '../components/State';
import { Card, ConfirmDialog } from '../components/ui';
import { useResource, useServices } from '../lib/context';
import { watchlists, type Watchlist } from '../lib/investor';
import { WatchlistCard, Field } from './watchlists/WatchlistCard';
import { MAX_NAME, parsePairs, watchlistNameError } from './watchlists/model';

function CreateForm({ onCreated }: { onCreated(w: Watchlist): void }) {
  const { api } = useServices();
  const [name, setName] = useState('');
  const [pairs, setPairs] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const invalid = watchlistNameError(name);
    setNameError(invalid);
    if (invalid) return;
    const r = await run(() => watchlists.create(api, name.trim(), parsePairs(pairs)));
    if (!r) return;
    onCreated(r.value);
    setName('');
    setPairs('');
  };
  return (
    <form className="form-grid" onSubmit={submit} aria-label="Create watchlist" noValidate>
      <Field label="Name" name="watchlist-name" value={name} onChange={setName} error={nameError} maxLength={MAX_NAME} />
      <Field label="Pairs (comma or space separated)" name="watchlist-pairs" value={pairs} onChange={setPairs} error={null} placeholder="BTCUSD, ETHUSD" />
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          Create watchlist
        </button>
      </div>
      <FormError message={error} />
    </form>
  );
}

/** The signed-in user's watchlists: create, add or remove a pair, rename, delete (confirmed). Each user sees only their own. */
export function Watchlists() {
  const { api } = useServices();
  const res = useResource((a) => watchlists.list(a), []);
  const [deleting, setDeleting] = useState<Watchlist | null>(null);
  const deleteAction = useAction();
  const [notice, setNotice] = useState<string | null>(null);

  // The server answers every change with the new watchlist: shown at once, without a reload.
  const replace = (w: Watchlist) => res.update((xs) => xs.map((x) => (x.id === w.id ? w : x)));
  const confirmDelete = async () => {
    const w = deleting;
    setDeleting(null);
    if (!w) return;
    if (!(await deleteAction.run(() => watchlists.remove(api, w.id), w.name))) return;
    res.update((xs) => xs.filter((x) => x.id !== w.id));
    setNotice(`Deleted ${w.name}`);
  };

  return (
    <>
      <h1>Watchlists</h1>
      <Card title="New watchlist">
        <CreateForm
          onCreated={(w) => {
            res.update((xs) => [...xs, w]);
            setNotice(`Created ${w.name}`);
          }}
        />
      </Card>
      <p className="sr-only" role="status" aria-live="polite">
        {notice}
      </p>
      <FormError message={deleteAction.error} />
      <Async resource={res} empty={(d) => d.length === 0} emptyText="You have no watchlists yet: create one above.">
        {(list) => (
          <div className="grid watchlists">
            {list.map((w) => (
              <WatchlistCard key={w.id} list={w} onChanged={replace} onDelete={setDeleting} />
            ))}
          </div>
        )}
      </Async>
      <ConfirmDialog open={deleting !== null} title={`Delete watchlist ${deleting?.name ?? ''}?`} confirmLabel="Delete watchlist" danger onConfirm={() => void confirmDelete()} onCancel={() => setDeleting(null)}>
        <p>The watchlist and its pairs are removed. This cannot be undone.</p>
      </ConfirmDialog>
    </>
  );
}
