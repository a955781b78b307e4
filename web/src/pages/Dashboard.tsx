import { useEffect, useRef, useState } from 'react';
import { Async } from '../components/State';
import { Card, Stat } from '../components/ui';
import { ApiError, type ApiClient } from '../lib/api';
import { useCan, useResource, useServices } from '../lib/context';
import { fmtMoney, fmtPct, fmtSigned, fmtTime, signClass } from '../lib/format';
import { AllocationTable } from './dashboard/Allocation';
import { EquityChart, RANGES, type RangeId } from './dashboard/Equity';
import { PositionsTable } from './dashboard/Positions';
import { positionsTotal } from './dashboard/shape';
import { AgentStateList, BreakersTable } from './dashboard/StatePanel';
import type { BotStatus, EngineStatus, EquityHistory, Portfolio, Position } from './dashboard/types';

const TRADE_EVENTS = ['OrderFilled', 'PositionClosed', 'DecisionMade'] as const;
const STATE_EVENTS = ['AgentStateChanged', 'KillSwitchTripped', 'OrderFilled', 'PositionClosed', 'DecisionMade', 'GateDenied'] as const;
/** Marks move between events: open positions are re-read this often too. */
const MARK_REFRESH_MS = 30_000;

/** The account at a glance: value and curve, P&L, allocation, open positions, the agent and the breakers; kept current by live events. */
export function Dashboard() {
  const canTrade = useCan('trade');
  const { api } = useServices();
  const [range, setRange] = useState<RangeId>('30d');
  const [notice, setNotice] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);

  const bot = useResource((api) => api.get<BotStatus>('/api/v1/bot/status'), [], { refreshOn: STATE_EVENTS });
  const portfolio = useResource((api) => api.get<Portfolio>('/api/v1/portfolio'), [], { refreshOn: TRADE_EVENTS });
  const positions = useResource((api) => api.get<{ positions: Position[] }>('/api/v1/bot/positions'), [], { refreshOn: TRADE_EVENTS });
  const engine = useResource((api) => api.get<EngineStatus>('/api/v1/status'), [], { refreshOn: ['BreakerStateChanged', 'KillSwitchTripped', 'AgentStateChanged'] });
  const history = useResource(
    (api: ApiClient) => {
      const ms = RANGES.find((r) => r.id === range)!.ms;
      return api.get<EquityHistory>('/api/v1/portfolio/history', { from: String(Date.now() - ms), points: 500 });
    },
    [range],
    { refreshOn: ['OrderFilled', 'PositionClosed'], debounceMs: 1000 },
  );

  const open = positions.data?.positions.length ?? 0;
  const reloadPositions = useRef(positions.reload);
  reloadPositions.current = positions.reload;
  const hasOpen = open > 0;
  useEffect(() => {
    if (!hasOpen) return;
    const t = setInterval(() => reloadPositions.current(), MARK_REFRESH_MS);
    return () => clearInterval(t);
  }, [hasOpen]);

  const closePosition = async (p: Position) => {
    setNotice(null);
    try {
      const r = await api.post<CloseAnswer>(`/api/v1/bot/positions/${encodeURIComponent(p.id)}/close`);
      const denied = r.denials?.length ? `: ${r.denials.map((d) => d.message).join('; ')}` : '';
      setNotice({ tone: r.status === 'denied' || r.status === 'rejected' ? 'error' : 'ok', text: `${p.asset_pair} close ${r.status}${denied}` });
    } catch (e) {
      setNotice({ tone: 'error', text: `${p.asset_pair} close failed: ${e instanceof ApiError ? e.message : String(e)}` });
    }
    positions.reload();
    portfolio.reload();
  };

  const h = history.data;
  const b = bot.data;
  const ccy = portfolio.data?.currency ?? h?.currency ?? '';
  const value = portfolio.data?.total_value ?? b?.portfolio_value ?? h?.summary.equity ?? null;
  const pnlToday = b?.daily_pnl ?? h?.summary.pnl_today ?? null;
  const pnlOverall = h?.summary.pnl_overall ?? null;
  const unrealised = positions.data ? positionsTotal(positions.data.positions) : null;

  return (
    <div className="dash">
      <h1>Dashboard</h1>
      <Card title="Portfolio">
        <Async resource={portfolio}>
          {(pf) => (
            <div className="stats" data-testid="portfolio-stats">
              <Stat label={`Portfolio value (${pf.mode})`} value={fmtMoney(value, ccy)} />
              <Stat label="P&L today" value={fmtSigned(pnlToday)} className={signClass(pnlToday)} />
              <Stat label="P&L overall" value={fmtSigned(pnlOverall)} className={signClass(pnlOverall)} />
              <Stat label="Unrealised P&L" value={fmtSigned(unrealised)} className={signClass(unrealised)} />
              <Stat label="Max drawdown" value={fmtPct(h?.max_drawdown ?? null)} />
              <Stat label="Gross exposure" value={fmtPct(pf.exposure.gross_fraction, 1)} />
            </div>
          )}
        </Async>
        {h?.summary.first_at && <p className="muted small">Overall since {fmtTime(h.summary.first_at)} (first recorded equity).</p>}
      </Card>

      <Card
        title="Equity"
        actions={
          <label className="inline">
            Range
            <select value={range} onChange={(e) => setRange(e.target.value as RangeId)}>
              {RANGES.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.label}
                </option>
              ))}
            </select>
          </label>
        }
      >
        <Async resource={history}>{(hist) => <EquityChart points={hist.points} />}</Async>
      </Card>

      <div className="grid">
        <Card title="Agent">
          <Async resource={bot}>{(s) => <AgentStateList bot={s} engine={engine.data} />}</Async>
        </Card>
        <Card title="Circuit breakers">
          <Async resource={engine}>{(s) => <BreakersTable breakers={s.breakers ?? []} />}</Async>
        </Card>
      </div>

      <Card title={`Open positions${open ? ` (${open})` : ''}`}>
        {notice && (
          <p className={`state ${notice.tone === 'error' ? 'error' : 'ok-text'}`} role={notice.tone === 'error' ? 'alert' : 'status'}>
            {notice.text}
          </p>
        )}
        <Async resource={positions} empty={(d) => d.positions.length === 0} emptyText="No open positions.">
          {(d) => <PositionsTable positions={d.positions} onClose={canTrade ? closePosition : undefined} />}
        </Async>
      </Card>

      <div className="grid">
        <Card title="Allocation by venue">
          <Async resource={portfolio}>{(pf) => <AllocationTable caption="By venue" label="Venue" allocs={pf.by_venue} total={pf.total_value} currency={pf.currency} />}</Async>
        </Card>
        <Card title="Allocation by asset">
          <Async resource={portfolio}>{(pf) => <AllocationTable caption="By asset" label="Asset" allocs={pf.by_asset} total={pf.total_value} currency={pf.currency} />}</Async>
        </Card>
      </div>
    </div>
  );
}

interface CloseAnswer {
  status: string;
  denials?: { code: string; message: string }[];
}
