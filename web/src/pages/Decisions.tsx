import { ApprovalsPanel } from './decisions/ApprovalsPanel';
import { HistoryPanel } from './decisions/HistoryPanel';

/** Decisions: what awaits approval (with its expiry), then the history with filters; both live. */
export function Decisions() {
  return (
    <>
      <h1>Decisions</h1>
      <ApprovalsPanel />
      <HistoryPanel />
    </>
  );
}
