import { TableWrap } from '../../components/TableWrap';
import { Badge } from '../../components/ui';
import { fmtTime } from '../../lib/format';
import { agentTone, breakerTone, fmtDuration } from './shape';
import type { BotStatus, EngineStatus } from './types';

/** The agent, its kill switch and trading halts. */
export function AgentStateList({ bot, engine }: { bot: BotStatus; engine?: EngineStatus }) {
  return (
    <dl className="kv">
      <dt>Agent</dt>
      <dd data-testid="agent-state">
        <Badge tone={agentTone(bot.state)}>{bot.state.replace(/_/g, ' ')}</Badge>
        {bot.requested?.dry_run && bot.state === 'running' && (
          <>
            {' '}
            <Badge tone="info">dry run</Badge>
          </>
        )}
      </dd>
      <dt>OODA state</dt>
      <dd>{bot.ooda_state ?? '—'}</dd>
      <dt>Uptime</dt>
      <dd>{bot.state === 'running' ? fmtDuration(bot.uptime_seconds) : '—'}</dd>
      <dt>Kill switch</dt>
      <dd data-testid="kill-switch-state">
        {bot.kill_switch.tripped ? (
          <>
            <Badge tone="bad">tripped</Badge> <span className="wrap-text">{bot.kill_switch.reason}</span> <span className="muted">{fmtTime(bot.kill_switch.tripped_at)}</span>
          </>
        ) : (
          <Badge tone="ok">armed</Badge>
        )}
      </dd>
      <dt>Trades</dt>
      <dd>
        {bot.trades_today} today · {bot.trades_total} closed in all
      </dd>
      {engine && (
        <>
          <dt>Trading</dt>
          <dd>
            {engine.trading.halted ? (
              <>
                <Badge tone="bad">halted</Badge>
                <ul className="plain">
                  {engine.trading.reasons.map((r) => (
                    <li key={r.source + r.reason}>{r.reason}</li>
                  ))}
                </ul>
              </>
            ) : (
              <Badge tone="ok">allowed</Badge>
            )}
          </dd>
        </>
      )}
      {bot.last_error && (
        <>
          <dt>Last error</dt>
          <dd className="wrap-text down">{bot.last_error}</dd>
        </>
      )}
    </dl>
  );
}

/** Circuit breakers (one per venue and data source): state and failures. */
export function BreakersTable({ breakers }: { breakers: EngineStatus['breakers'] }) {
  if (!breakers.length) return <p className="state empty">No circuit breaker has been used yet.</p>;
  return (
    <TableWrap label="Circuit breakers">
      <table>
        <thead>
          <tr>
            <th scope="col">Breaker</th>
            <th scope="col">State</th>
            <th scope="col" className="num">
              Failures in a row
            </th>
            <th scope="col" className="num">
              Opens
            </th>
            <th scope="col">Last error</th>
          </tr>
        </thead>
        <tbody>
          {breakers.map((b) => (
            <tr key={b.name} data-testid="breaker-row">
              <th scope="row">{b.name}</th>
              <td>
                <Badge tone={breakerTone(b.state)}>{b.state}</Badge>
              </td>
              <td className="num">{b.consecutive_failures ?? '—'}</td>
              <td className="num">{b.opens ?? '—'}</td>
              <td className="wrap">{b.last_error ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
