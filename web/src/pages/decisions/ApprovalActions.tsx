import { useState } from 'react';
import { ApiError } from '../../lib/api';
import { useCan, useServices } from '../../lib/context';
import { fmtUntil } from '../../lib/format';
import { expiryIso, type Approval } from './model';
import { useNow } from './useNow';

/** "4 m 10 s" until the approval expires, updated every second; "expired" after. */
export function Countdown({ expiresAt }: { expiresAt: number }) {
  const now = useNow(1000);
  const left = fmtUntil(expiryIso(expiresAt), now);
  return (
    <span className={left === 'expired' ? 'down' : expiresAt - now < 60_000 ? 'warn-text' : ''} data-testid="expiry" title={expiryIso(expiresAt)}>
      {left}
    </span>
  );
}

interface ExecutionResult {
  status?: string;
  gate?: { approved?: boolean; denials?: { code: string; message: string }[] } | null;
}

/** What an approve/reject answered, in a sentence. */
export function decisionMessage(status: 'approved' | 'rejected', answer: { result?: ExecutionResult | null } | undefined): string {
  if (status === 'rejected') return 'Rejected.';
  const r = answer?.result;
  if (!r) return 'Approved.';
  if (r.status === 'denied') {
    const codes = (r.gate?.denials ?? []).map((d) => `${d.message} [${d.code}]`).join('; ');
    return `Approved, but the risk gate denied the order${codes ? `: ${codes}` : ''}.`;
  }
  return `Approved: ${r.status ?? 'sent'}.`;
}

/**
 * Approve / Reject for a pending approval (`onDone` hears the outcome, failed or not, since a live
 * reload may remove this row before the answer comes back): shown only to roles with the `trade` permission and
 * only while it is pending and unexpired. POST /api/v1/approvals/:decision_id {status}.
 */
export function ApprovalActions({ approval, onDone }: { approval: Pick<Approval, 'decision_id' | 'pair' | 'action' | 'status' | 'expires_at'>; onDone?: (message: string, failed: boolean) => void }) {
  const { api } = useServices();
  const allowed = useCan('trade');
  const now = useNow(1000);
  const [busy, setBusy] = useState<null | 'approved' | 'rejected'>(null);
  const [msg, setMsg] = useState<{ text: string; error: boolean } | null>(null);
  if (!allowed) return null;
  const open = approval.status === 'pending' && approval.expires_at > now;
  const decide = async (status: 'approved' | 'rejected') => {
    setBusy(status);
    setMsg(null);
    try {
      const answer = await api.post<{ result?: ExecutionResult | null }>(`/api/v1/approvals/${encodeURIComponent(approval.decision_id)}`, { status });
      const text = decisionMessage(status, answer);
      setMsg({ text, error: false });
      onDone?.(text, false);
    } catch (e) {
      const text = e instanceof ApiError ? e.message : String(e);
      setMsg({ text, error: true });
      // The row may be gone by now (the approval's live event reloads the list): the parent tells it too.
      onDone?.(text, true);
    } finally {
      setBusy(null);
    }
  };
  const what = `${approval.action} ${approval.pair}`;
  return (
    <div className="approval-actions">
      {open && (
        <>
          <button type="button" className="primary" disabled={busy !== null} onClick={() => void decide('approved')} title={`Approve ${what}`}>
            {busy === 'approved' ? 'Approving…' : 'Approve'}
          </button>
          <button type="button" className="danger" disabled={busy !== null} onClick={() => void decide('rejected')} title={`Reject ${what}`}>
            {busy === 'rejected' ? 'Rejecting…' : 'Reject'}
          </button>
        </>
      )}
      {msg && (
        <span role={msg.error ? 'alert' : 'status'} className={msg.error ? 'down' : 'muted'}>
          {msg.text}
        </span>
      )}
    </div>
  );
}
