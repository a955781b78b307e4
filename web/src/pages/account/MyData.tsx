import { useState } from 'react';
import { useAction } from '../../lib/action';
import { FormError } from '../../components/State';
import { Card, ConfirmDialog } from '../../components/ui';
import { usePrincipal, useServices } from '../../lib/context';
import { saveJson } from '../../lib/download';
import { gdpr } from '../../lib/investor';
import { navigate } from '../../lib/router';

/** The export's file name: who and when, so several downloads do not overwrite each other. */
export const exportFileName = (name: string, now = new Date()): string => `ffe-my-data-${name.replace(/[^\w.-]+/g, '_')}-${now.toISOString().slice(0, 10)}.json`;

/** "Download my data": everything the platform holds about the caller, as one JSON file. */
export function ExportCard() {
  const { api } = useServices();
  const principal = usePrincipal();
  const { busy, error, run } = useAction();
  const [done, setDone] = useState<string | null>(null);
  const download = async () => {
    setDone(null);
    const r = await run(() => gdpr.export(api));
    if (!r) return;
    const file = exportFileName(principal?.name ?? 'me');
    saveJson(file, r.value);
    const sections = r.value.sections && typeof r.value.sections === 'object' ? Object.keys(r.value.sections).length : 0;
    setDone(`Saved ${file} (${sections} section${sections === 1 ? '' : 's'}).`);
  };
  return (
    <Card title="Your data">
      <p className="muted">A copy of everything stored about you, section by section, as a JSON file.</p>
      <div className="row">
        <button type="button" onClick={() => void download()} disabled={busy}>
          {busy ? 'Preparing…' : 'Download my data'}
        </button>
        <span role="status" className="muted">
          {done}
        </span>
      </div>
      <FormError message={error} />
    </Card>
  );
}

/**
 * "Delete my account": erases the caller's personal data for good. The dialog asks for the user
 * name typed out (a slip of the mouse cannot do it) and the password (someone at an unlocked
 * screen cannot either); then the session ends.
 */
export function DeleteAccountCard() {
  const { api, session } = useServices();
  const principal = usePrincipal();
  const name = principal?.name ?? '';
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, setError, run } = useAction();
  const ready = typed === name && name !== '' && password !== '' && !busy;
  const close = () => {
    setOpen(false);
    setTyped('');
    setPassword('');
    setError(null);
  };
  const confirm = async () => {
    if (!ready) return;
    if (!(await run(() => gdpr.deleteAccount(api, typed, password)))) return;
    await session.logout();
    navigate('/');
  };
  return (
    <Card title="Delete my account" className="danger-zone">
      <p className="muted">Your account is closed and your personal data erased; records that must be kept stay, under a pseudonym instead of your name. You are signed out. This cannot be undone.</p>
      <button type="button" className="danger" onClick={() => setOpen(true)}>
        Delete my account
      </button>
      <ConfirmDialog open={open} title="Delete your account for good?" confirmLabel="Delete my account permanently" danger confirmDisabled={!ready} onConfirm={() => void confirm()} onCancel={close}>
        <p>
          Type your user name <strong>{name}</strong> and your password to confirm.
        </p>
        <label>
          User name
          <input name="confirm-name" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" autoCapitalize="none" spellCheck={false} />
        </label>
        <label>
          Password
          <input name="confirm-password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" />
        </label>
        <FormError message={error} />
      </ConfirmDialog>
    </Card>
  );
}
