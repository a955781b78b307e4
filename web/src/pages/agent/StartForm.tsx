import { useState, type FormEvent } from 'react';
import { startBody, type StartBody, type StartForm as Form } from './form';

/** The start form: assets, take-profit, stop-loss, manual approval, dry run → `onStart(body)`. */
export function StartForm({ defaults, onStart }: { defaults?: Partial<Form>; onStart: (body: StartBody) => Promise<void> }) {
  const [f, setF] = useState<Form>({ assets: '', takeProfit: '', stopLoss: '', manualApproval: false, dryRun: false, ...defaults });
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setF((x) => ({ ...x, [k]: v }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { body, errors } = startBody(f);
    setErrors(errors);
    if (!body) return;
    setBusy(true);
    void onStart(body).finally(() => setBusy(false));
  };
  return (
    <form onSubmit={submit} className="agent-start" noValidate>
      <div className="form-grid">
        <label>
          Assets
          <input value={f.assets} onChange={(e) => set('assets', e.target.value)} placeholder="BTCUSD, ETHUSD (empty: configured)" autoComplete="off" spellCheck={false} />
        </label>
        <label>
          Take-profit
          <input value={f.takeProfit} onChange={(e) => set('takeProfit', e.target.value)} placeholder="0.05 or 5%" inputMode="decimal" />
        </label>
        <label>
          Stop-loss
          <input value={f.stopLoss} onChange={(e) => set('stopLoss', e.target.value)} placeholder="0.02 or 2%" inputMode="decimal" />
        </label>
      </div>
      <div className="row agent-start-flags">
        <label className="check">
          <input type="checkbox" checked={f.manualApproval} onChange={(e) => set('manualApproval', e.target.checked)} />
          Manual approval
        </label>
        <label className="check">
          <input type="checkbox" checked={f.dryRun} onChange={(e) => set('dryRun', e.target.checked)} />
          Dry run
        </label>
        <button type="submit" className="primary" disabled={busy}>
          Start agent
        </button>
      </div>
      {errors.length > 0 && (
        <ul className="state error form-errors" role="alert">
          {errors.map((x) => (
            <li key={x}>{x}</li>
          ))}
        </ul>
      )}
    </form>
  );
}
