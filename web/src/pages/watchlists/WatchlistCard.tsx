import { useId, useState, type FormEvent } from 'react';
import { useAction } from '../../lib/action';
import { FormError } from '../../components/State';
import { Card } from '../../components/ui';
import { useServices } from '../../lib/context';
import { fmtTime } from '../../lib/format';
import { watchlists, type Watchlist } from '../../lib/investor';
import { MAX_NAME, watchlistNameError } from './model';

/** A text field whose error (the server's 400 message, or the page's own check) sits right under it. */
export function Field({
  label,
  value,
  onChange,
  error,
  name,
  placeholder,
  maxLength,
}: {
  label: string;
  value: string;
  onChange(v: string): void;
  error: string | null;
  name: string;
  placeholder?: string;
  maxLength?: number;
}) {
  const errId = useId();
  // The error sits outside the label: it describes the field (aria-describedby) rather than renaming it.
  return (
    <div className="field">
      <label>
        {label}
        <input
          name={name}
          value={value}
          placeholder={placeholder}
          maxLength={maxLength}
          autoComplete="off"
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errId : undefined}
        />
      </label>
      {error && (
        <small className="field-error" id={errId} role="alert">
          {error}
        </small>
      )}
    </div>
  );
}

/** One watchlist: its pairs (each removable), a field to add one, rename in place, delete (confirmed by the page). */
export function WatchlistCard({ list, onChanged, onDelete }: { list: Watchlist; onChanged(w: Watchlist): void; onDelete(w: Watchlist): void }) {
  const { api } = useServices();
  const [pair, setPair] = useState('');
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(list.name);
  // One action per field, so the server's refusal lands beside the field it is about.
  const adding = useAction();
  const renamingAction = useAction();
  const removing = useAction();
  const busy = adding.busy || renamingAction.busy || removing.busy;

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const p = pair.trim();
    if (!p) return adding.setError('pair: required');
    const r = await adding.run(() => watchlists.addPair(api, list.id, p));
    if (!r) return;
    onChanged(r.value);
    setPair('');
  };
  const rename = async (e: FormEvent) => {
    e.preventDefault();
    const invalid = watchlistNameError(name);
    if (invalid) return renamingAction.setError(invalid);
    const r = await renamingAction.run(() => watchlists.rename(api, list.id, name.trim()));
    if (!r) return;
    onChanged(r.value);
    setRenaming(false);
  };
  const removePair = async (p: string) => {
    const r = await removing.run(() => watchlists.removePair(api, list.id, p), p);
    if (r) onChanged(r.value);
  };

  return (
    <Card
      title={list.name}
      className="watchlist"
      actions={
        !renaming && (
          <>
            <button type="button" onClick={() => (setName(list.name), setRenaming(true))} aria-label={`Rename ${list.name}`}>
              Rename
            </button>
            <button type="button" className="danger" onClick={() => onDelete(list)} aria-label={`Delete ${list.name}`}>
              Delete
            </button>
          </>
        )
      }
    >
      <div data-testid="watchlist" data-name={list.name}>
        {renaming && (
          <form className="row watchlist-rename" onSubmit={rename} aria-label={`Rename ${list.name}`}>
            <Field label="New name" name="rename" value={name} onChange={setName} error={renamingAction.error} maxLength={MAX_NAME} />
            <button type="submit" className="primary" disabled={busy}>
              Save name
            </button>
            <button type="button" onClick={() => (setRenaming(false), renamingAction.setError(null))}>
              Cancel
            </button>
          </form>
        )}
        {list.pairs.length === 0 ? (
          <p className="state empty">No pairs yet.</p>
        ) : (
          <ul className="pairs" aria-label={`Pairs in ${list.name}`}>
            {list.pairs.map((p) => (
              <li key={p} className="pair-chip" data-testid="pair">
                <span>{p}</span>
                <button type="button" className="chip-remove" disabled={busy} onClick={() => void removePair(p)} aria-label={`Remove ${p} from ${list.name}`}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
        <form className="row watchlist-add" onSubmit={add} aria-label={`Add a pair to ${list.name}`} noValidate>
          <Field label="Add pair" name="pair" value={pair} onChange={(v) => (setPair(v), adding.setError(null))} error={adding.error} placeholder="e.g. BTCUSD" maxLength={32} />
          <button type="submit" disabled={busy}>
            Add
          </button>
        </form>
        <FormError message={removing.error} />
        <p className="muted small">Updated {fmtTime(list.updated_at)}</p>
      </div>
    </Card>
  );
}
