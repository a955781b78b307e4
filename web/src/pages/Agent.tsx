import { useCallback, useState } from 'react';
import { Async } from '../components/State';
import { Badge, Card } from '../components/ui';
import { ApiError, withQuery } from '../lib/api';
import { useCan, useLiveEvents, useResource, useServices } from '../lib/context';
import type { LiveEvent } from '../lib/live';
import { fmtPct, fmtTime } from '../lib/format';
import { AgentControls, ClearEmergencyStop } from './agent/Controls';
import { CycleLog } from './agent/CycleLog';
import type { ConfigPatch } from './agent/form';
import { entryOfAgentEvent, entryOfLiveEvent, LOG_EVENT_TYPES, mergeLog, type AgentLogEvent, type LogEntry } from './agent/log';
import { SettingsEditor } from './agent/Settings';
import { StartForm } from './agent/StartForm';
import { agentTone, fmtDuration } from './dashboard/shape';
import type { BotStatus, LiveConfig, RunSettings } from './dashboard/types';

const ACTIVE = new Set(['starting', 'running', 'stopping']);

function RunSettingsList({ s }: { s: RunSettings }) {
  return (
    <dl className="kv">
      <dt>Assets</dt>
      <dd>{s.asset_pairs.join(', ')}</dd>
      <dt>Approval</dt>
      <dd>{s.autonomous ? 'autonomous' : 'manual'}</dd>
      <dt>Take-profit</dt>
      <dd>{s.take_profit === null ? 'configured' : fmtPct(s.take_profit)}</dd>
      <dt>Stop-loss</dt>
      <dd>{s.stop_loss === null ? 'configured' : fmtPct(s.stop_loss)}</dd>
      <dt>Dry run</dt>
      <dd>{s.dry_run ? 'yes: decides and records, places no orders' : 'no'}</dd>
    </dl>
  );
}

/** Start, stop and emergency-stop the agent, edit its live settings, watch its OODA state and cycle log. */
export function Agent() {
  const { api } = useServices();
  const canOperate = useCan('operate');
  const isAdmin = useCan('admin');
  const [notice, setNotice] = useState<{ error: boolean; text: string } | null>(null);
  const bot = useResource((a) => a.get<BotStatus>('/api/v1/bot/status'), [], { refreshOn: ['AgentStateChanged', 'KillSwitchTripped', 'DecisionMade', 'OrderFilled', 'PositionClosed', 'GateDenied'] });
  const history = useResource((a) => a.get<{ events: AgentLogEvent[] }>('/api/v1/bot/log', { limit: 100 }), []);
  const [live, setLive] = useState<LogEntry[]>([]);
  useLiveEvents(
    LOG_EVENT_TYPES,
    useCallback((e: LiveEvent) => {
      const entry = entryOfLiveEvent(e);
      if (entry) setLive((xs) => [entry, ...xs].slice(0, 200));
    }, []),
  );

  /** Runs an action, shows its outcome, reloads the status. */
  const act = async <T,>(what: string, call: () => Promise<T>, ok: (r: T) => string): Promise<T | null> => {
    setNotice(null);
    try {
      const r = await call();
      setNotice({ error: false, text: ok(r) });
      bot.reload();
      return r;
    } catch (e) {
      setNotice({ error: true, text: `${what} failed: ${e instanceof ApiError ? e.message : String(e)}` });
      bot.reload();
      return null;
    }
  };

  const entries = mergeLog(live, (history.data?.events ?? []).map(entryOfAgentEvent));

  return (
    <div className="agent-page">
      <h1>Agent</h1>
      {notice && (
        <p className={`state ${notice.error ? 'error' : 'ok-text'}`} role={notice.error ? 'alert' : 'status'}>
          {notice.text}
        </p>
      )}
      <Async resource={bot}>
        {(s) => {
          const active = ACTIVE.has(s.state);
          return (
            <>
              <div className="grid">
                <Card title="State">
                  <dl className="kv">
                    <dt>Agent</dt>
                    <dd data-testid="agent-state">
                      <Badge tone={agentTone(s.state)}>{s.state.replace(/_/g, ' ')}</Badge>
                    </dd>
                    <dt>OODA state</dt>
                    <dd data-testid="ooda-state">{s.ooda_state ?? '—'}</dd>
                    <dt>Uptime</dt>
                    <dd>{active ? fmtDuration(s.uptime_seconds) : '—'}</dd>
                    <dt>Kill switch</dt>
                    <dd data-testid="kill-switch-state">
                      {s.kill_switch.tripped ? (
                        <>
                          <Badge tone="bad">tripped</Badge> <span className="wrap-text">{s.kill_switch.reason}</span> <span className="muted">{fmtTime(s.kill_switch.tripped_at)}</span>
                        </>
                      ) : (
                        <Badge tone="ok">armed</Badge>
                      )}
                    </dd>
                    <dt>Last decision</dt>
                    <dd>{s.last_decision ? `${s.last_decision.asset_pair} ${s.last_decision.action} (${s.last_decision.confidence} %) ${fmtTime(s.last_decision.created_at)}` : '—'}</dd>
                    <dt>Trades today</dt>
                    <dd>{s.trades_today}</dd>
                    <dt>Restarts</dt>
                    <dd>{s.restarts}</dd>
                    {s.last_error && (
                      <>
                        <dt>Last error</dt>
                        <dd className="wrap-text down">{s.last_error}</dd>
                      </>
                    )}
                  </dl>
                  {canOperate && (
                    <AgentControls
                      running={active}
                      tripped={s.kill_switch.tripped}
                      onStop={() =>
                        act(
                          'Stop',
                          () => api.post<BotStatus>('/api/v1/bot/stop'),
                          () => 'Agent stopped.',
                        ).then(() => undefined)
                      }
                      onEmergencyStop={(o) =>
                        act(
                          'Emergency stop',
                          () =>
                            api.post<{ already_tripped: boolean; closed: { asset_pair: string; status: string }[] }>(
                              withQuery('/api/v1/bot/emergency-stop', { close_positions: o.closePositions ? 'true' : 'false', reason: o.reason || undefined }),
                            ),
                          (r) => `Emergency stop ${r.already_tripped ? 'was already in force' : 'tripped'}${r.closed.length ? `; closing: ${r.closed.map((c) => `${c.asset_pair} ${c.status}`).join(', ')}` : ''}.`,
                        ).then(() => undefined)
                      }
                    />
                  )}
                  {s.kill_switch.tripped && isAdmin && (
                    <ClearEmergencyStop
                      onClear={(reason) =>
                        act(
                          'Clear emergency stop',
                          () => api.post<BotStatus>('/api/v1/bot/clear-emergency-stop', { reason }),
                          () => 'Emergency stop cleared; the agent stays stopped until started.',
                        ).then(() => undefined)
                      }
                    />
                  )}
                  {s.kill_switch.tripped && !isAdmin && <p className="muted small">An admin must clear the emergency stop before the agent can start.</p>}
                </Card>
                <Card title={active ? 'Run in force' : 'Last requested run'}>{s.requested ? <RunSettingsList s={s.requested} /> : <p className="state empty">No run requested yet.</p>}</Card>
              </div>
              {canOperate && !active && !s.kill_switch.tripped && (
                <Card title="Start the agent">
                  <StartForm
                    defaults={s.requested ? { assets: s.requested.asset_pairs.join(', '), manualApproval: !s.requested.autonomous, dryRun: s.requested.dry_run } : undefined}
                    onStart={(body) =>
                      act(
                        'Start',
                        () => api.post<BotStatus>('/api/v1/bot/start', body),
                        (r) => `Agent ${r.state}${body.dry_run ? ' (dry run)' : ''}.`,
                      ).then(() => undefined)
                    }
                  />
                </Card>
              )}
              <Card title="Live settings">
                <SettingsEditor
                  config={s.config}
                  onSave={
                    canOperate
                      ? (patch: ConfigPatch) =>
                          act(
                            'Save settings',
                            () => api.patch<{ before: LiveConfig; after: LiveConfig }>('/api/v1/bot/config', patch),
                            () => 'Settings saved: applied at the next cycle and order.',
                          )
                      : undefined
                  }
                />
              </Card>
            </>
          );
        }}
      </Async>
      <Card
        title="Cycle log"
        actions={
          <button type="button" onClick={history.reload}>
            Reload history
          </button>
        }
      >
        {!history.data && <Async resource={history}>{() => null}</Async>}
        {(history.data || live.length > 0) && <CycleLog entries={entries} />}
      </Card>
    </div>
  );
}
