import { useState } from 'react';
import { ConfirmDialog } from '../../components/ui';
import { FormError } from '../../components/State';

/** Stop and emergency stop (the latter confirmed, with the close-positions choice and a reason). */
export function AgentControls({
  running,
  tripped,
  onStop,
  onEmergencyStop,
}: {
  running: boolean;
  tripped: boolean;
  onStop: () => Promise<void>;
  onEmergencyStop: (o: { closePositions: boolean; reason: string }) => Promise<void>;
}) {
  const [open, setOpen] = useState(false);
  const [closePositions, setClosePositions] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const run = (p: Promise<void>) => {
    setBusy(true);
    void p.finally(() => setBusy(false));
  };
  return (
    <div className="row agent-controls">
      {running && (
        <button type="button" onClick={() => run(onStop())} disabled={busy}>
          Stop agent
        </button>
      )}
      {!tripped && (
        <button type="button" className="danger" onClick={() => setOpen(true)} disabled={busy}>
          Emergency stop
        </button>
      )}
      <ConfirmDialog
        open={open}
        title="Emergency stop"
        confirmLabel="Confirm emergency stop"
        danger
        onCancel={() => setOpen(false)}
        onConfirm={() => {
          setOpen(false);
          run(onEmergencyStop({ closePositions, reason: reason.trim() }));
          setReason('');
          setClosePositions(false);
        }}
      >
        <p>The agent halts at once and stays halted until an admin clears the emergency stop.</p>
        <label className="check">
          <input type="checkbox" checked={closePositions} onChange={(e) => setClosePositions(e.target.checked)} />
          Close all positions
        </label>
        <label>
          Reason
          <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} placeholder="why trading must stop (recorded)" />
        </label>
      </ConfirmDialog>
    </div>
  );
}

/** The admin's clear of an emergency stop, with the reason it is recorded with. */
export function ClearEmergencyStop({ onClear }: { onClear: (reason: string) => Promise<void> }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="row"
      onSubmit={(e) => {
        e.preventDefault();
        if (!reason.trim()) return setError('Reason: say why trading may resume (it is recorded)');
        setError(null);
        setBusy(true);
        void onClear(reason.trim())
          .then(() => setReason(''))
          .finally(() => setBusy(false));
      }}
    >
      <label className="grow">
        Reason for clearing
        <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
      </label>
      <button type="submit" disabled={busy}>
        Clear emergency stop
      </button>
      <FormError message={error} />
    </form>
  );
}
