import { Badge } from '../../components/ui';
import { logTime, type LogEntry } from './log';

/** The recent cycle log, newest first. */
export function CycleLog({ entries }: { entries: readonly LogEntry[] }) {
  if (!entries.length) return <p className="state empty">No agent activity yet.</p>;
  const today = new Date().toISOString().slice(0, 10);
  return (
    <ol className="cycle-log" aria-label="Agent cycle log, newest first" tabIndex={0}>
      {entries.map((e) => (
        <li key={e.key} data-testid="log-row">
          <time dateTime={e.at}>{logTime(e.at, today)}</time>
          <Badge tone={e.tone}>{e.kind}</Badge>
          <span className="log-text">{e.text}</span>
        </li>
      ))}
    </ol>
  );
}
