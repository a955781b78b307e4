import { TableWrap } from '../../components/TableWrap';
import { useEffect, useState, type FormEvent } from 'react';
import { fmtPct } from '../../lib/format';
import type { LiveConfig } from '../dashboard/types';
import { configPatch, SETTING_LABELS, settingsForm, type ConfigPatch, type SettingsForm } from './form';

const KEYS = Object.keys(SETTING_LABELS) as (keyof SettingsForm)[];

/** A setting's value as shown: fractions as percent, counts as they are. */
export function showSetting(k: keyof LiveConfig, v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (k === 'max_concurrent_trades') return String(v);
  if (k === 'provider_weights')
    return (
      Object.entries(v as Record<string, number>)
        .map(([n, w]) => `${n} ${fmtPct(w, 0)}`)
        .join(', ') || '—'
    );
  return typeof v === 'number' ? fmtPct(v, 2) : String(v);
}

/** The live settings in force; editable (only changed fields are sent) when `onSave` is given. */
export function SettingsEditor({ config, onSave }: { config: LiveConfig; onSave?: (patch: ConfigPatch) => Promise<{ before: LiveConfig; after: LiveConfig } | null> }) {
  const [f, setF] = useState<SettingsForm>(() => settingsForm(config));
  const [dirty, setDirty] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  const [result, setResult] = useState<{ before: LiveConfig; after: LiveConfig } | null>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  // The form follows the settings in force until the user edits it.
  useEffect(() => {
    if (!dirty) setF(settingsForm(config));
  }, [config, dirty]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!onSave) return;
    const { patch, errors } = configPatch(f, config);
    setErrors(errors);
    setNote(!errors.length && !Object.keys(patch).length ? 'Nothing changed: edit a setting first.' : null);
    if (errors.length || !Object.keys(patch).length) return;
    setBusy(true);
    void onSave(patch)
      .then((r) => {
        if (r) {
          setResult(r);
          setDirty(false);
        }
      })
      .finally(() => setBusy(false));
  };
  const changed = result ? (Object.keys(result.after) as (keyof LiveConfig)[]).filter((k) => JSON.stringify(result.before[k]) !== JSON.stringify(result.after[k])) : [];
  return (
    <>
      {onSave ? (
        <form onSubmit={submit} noValidate>
          <div className="form-grid">
            {KEYS.map((k) => (
              <div key={k} className="setting-field">
                <label>
                  {SETTING_LABELS[k]}
                  <input
                    value={f[k]}
                    inputMode="decimal"
                    aria-describedby={`in-force-${k}`}
                    onChange={(e) => {
                      setDirty(true);
                      setF((x) => ({ ...x, [k]: e.target.value }));
                    }}
                  />
                </label>
                <small id={`in-force-${k}`} className="muted">
                  in force: {showSetting(k, config[k])}
                </small>
              </div>
            ))}
          </div>
          <div className="row">
            <button type="submit" className="primary" disabled={busy}>
              Save settings
            </button>
            {dirty && (
              <button type="button" onClick={() => setDirty(false)}>
                Reset
              </button>
            )}
          </div>
          {note && (
            <p className="muted small" role="status">
              {note}
            </p>
          )}
          {errors.length > 0 && (
            <ul className="state error form-errors" role="alert">
              {errors.map((x) => (
                <li key={x}>{x}</li>
              ))}
            </ul>
          )}
        </form>
      ) : (
        <dl className="kv">
          {KEYS.map((k) => (
            <div key={k} className="kv-row">
              <dt>{SETTING_LABELS[k]}</dt>
              <dd>{showSetting(k, config[k])}</dd>
            </div>
          ))}
        </dl>
      )}
      <p className="muted small">Provider weights: {showSetting('provider_weights', config.provider_weights)}</p>
      {result && (
        <div role="status">
          <TableWrap label="Saved settings">
            <table>
              <caption>Saved: what was and is in force</caption>
              <thead>
                <tr>
                  <th scope="col">Setting</th>
                  <th scope="col">Was</th>
                  <th scope="col">Now</th>
                </tr>
              </thead>
              <tbody>
                {(Object.keys(result.after) as (keyof LiveConfig)[]).map((k) => (
                  <tr key={k} className={changed.includes(k) ? 'changed' : ''}>
                    <th scope="row">{SETTING_LABELS[k as keyof SettingsForm] ?? (k === 'provider_weights' ? 'Provider weights' : k)}</th>
                    <td className="wrap">{showSetting(k, result.before[k])}</td>
                    <td className="wrap">{showSetting(k, result.after[k])}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </div>
      )}
    </>
  );
}
