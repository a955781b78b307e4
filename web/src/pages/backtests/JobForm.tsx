import { useState, type FormEvent } from 'react';
import { buildJob, DEFAULT_FORM, KIND_LABEL, KINDS, METHODS, OBJECTIVES, STRATEGIES, TIMEFRAMES, type FormErrors, type JobBody, type JobForm as Form, type Kind } from './form';

/** The job form: one form, a kind select and a "Run job" button; each kind shows only its own fields. */
export function JobForm({ onSubmit, busy = false, serverError }: { onSubmit(body: JobBody): void; busy?: boolean; serverError?: string | null }) {
  const [f, setF] = useState<Form>(DEFAULT_FORM);
  const [errors, setErrors] = useState<FormErrors>({});
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setF((s) => ({ ...s, [k]: v }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const r = buildJob(f);
    setErrors(r.errors ?? {});
    if (r.body) onSubmit(r.body);
  };
  const field = (key: keyof Form, label: string, props: { type?: string; placeholder?: string; step?: string } = {}) => (
    <label>
      {label}
      <input
        type={props.type ?? 'text'}
        step={props.step}
        placeholder={props.placeholder}
        value={String(f[key])}
        onChange={(e) => set(key, e.target.value as never)}
        aria-invalid={errors[key] ? true : undefined}
        aria-describedby={errors[key] ? `err-${key}` : undefined}
      />
      {errors[key] && (
        <small className="field-error" id={`err-${key}`}>
          {errors[key]}
        </small>
      )}
    </label>
  );
  const search = f.kind === 'optimize' || f.kind === 'walk_forward';
  return (
    <form onSubmit={submit} noValidate aria-label="New backtest job">
      <div className="form-grid">
        <label>
          Kind
          <select value={f.kind} onChange={(e) => set('kind', e.target.value as Kind)}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABEL[k]}
              </option>
            ))}
          </select>
        </label>
        {field('pairs', 'Pairs', { placeholder: 'BTCUSD, ETHUSD' })}
        {field('from', 'From', { type: 'date' })}
        {field('to', 'To', { type: 'date' })}
        <label>
          Timeframe
          <select value={f.timeframe} onChange={(e) => set('timeframe', e.target.value)}>
            <option value="">default</option>
            {TIMEFRAMES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          Source
          <select value={f.source} onChange={(e) => set('source', e.target.value)} aria-invalid={errors.source ? true : undefined}>
            {STRATEGIES.map((s) => (
              <option key={s} value={`strategy:${s}`}>
                strategy {s}
              </option>
            ))}
            <option value="provider:ensemble">provider ensemble</option>
          </select>
        </label>
        {field('initialBalance', 'Initial balance', { placeholder: 'default' })}
        {field('fee', 'Fee (fraction)', { placeholder: 'default' })}
        {field('stopLoss', 'Stop-loss (fraction)', { placeholder: 'none' })}
        {field('takeProfit', 'Take-profit (fraction)', { placeholder: 'none' })}
        {!search && field('params', 'Strategy parameters', { placeholder: 'fast=10, slow=30' })}
        {search && (
          <>
            <label>
              Method
              <select value={f.method} onChange={(e) => set('method', e.target.value)}>
                {METHODS.map((m) => (
                  <option key={m}>{m}</option>
                ))}
              </select>
            </label>
            {field('samples', 'Samples')}
            <label>
              Objective
              <select value={f.objective} onChange={(e) => set('objective', e.target.value)}>
                {OBJECTIVES.map((o) => (
                  <option key={o}>{o}</option>
                ))}
              </select>
            </label>
            {field('paramRanges', 'Parameter ranges', { placeholder: 'fast=5:20:5; slow=20,30,50' })}
          </>
        )}
        {f.kind === 'walk_forward' && (
          <>
            {field('trainRatio', 'Train ratio')}
            {field('windows', 'Windows')}
            <label className="check">
              <input type="checkbox" checked={f.anchored} onChange={(e) => set('anchored', e.target.checked)} /> Anchored
            </label>
          </>
        )}
        {f.kind === 'monte_carlo' && (
          <>
            {field('simulations', 'Simulations')}
            {field('noise', 'Noise (fraction)')}
          </>
        )}
        {(search || f.kind === 'monte_carlo') && field('seed', 'Seed')}
      </div>
      <div className="row form-actions">
        <button type="submit" className="primary" disabled={busy}>
          Run job
        </button>
        {serverError && (
          <span className="state error" role="alert">
            {serverError}
          </span>
        )}
      </div>
    </form>
  );
}
