/** The API answers the Dashboard and Agent pages read (snake_case, as the server sends them). */
export interface Position {
  id: string;
  venue: string;
  asset_pair: string;
  side: 'long' | 'short';
  units: number;
  entry_price: number;
  mark_price: number | null;
  unrealized_pnl: number;
  opened_at: string | null;
  stop_loss: number | null;
  take_profit: number | null;
}

export interface RunSettings {
  asset_pairs: string[];
  autonomous: boolean;
  take_profit: number | null;
  stop_loss: number | null;
  dry_run: boolean;
}

export interface LiveConfig {
  stop_loss_pct: number;
  position_size_pct: number;
  confidence_threshold: number;
  max_concurrent_trades: number;
  provider_weights: Record<string, number> | null;
}

export interface BotStatus {
  state: string;
  ooda_state: string | null;
  uptime_seconds: number;
  requested: RunSettings | null;
  requested_state: string;
  trades_today: number;
  trades_total: number;
  open_positions: number;
  positions: Position[];
  portfolio_value: number;
  daily_pnl: number | null;
  last_decision: { id: string; asset_pair: string; action: string; confidence: number; provider: string; executed: boolean; created_at: string } | null;
  kill_switch: { tripped: boolean; reason: string | null; tripped_at: string | null };
  restarts: number;
  last_error: string | null;
  config: LiveConfig;
}

export interface Allocation {
  name: string;
  value: number;
  fraction: number;
}

export interface Portfolio {
  mode: string;
  mode_note: string;
  currency: string;
  total_value: number;
  holdings: { venue: string; asset: string; pair: string | null; side: string; units: number; price: number | null; value: number; unrealized_pnl: number }[];
  exposure: { net: number; gross: number; net_fraction: number; gross_fraction: number };
  by_venue: Allocation[];
  by_asset: Allocation[];
}

export interface Breaker {
  name: string;
  venue: string | null;
  state: string;
  consecutive_failures?: number;
  opens?: number;
  last_error?: string | null;
}

export interface EngineStatus {
  trading: { halted: boolean; reasons: { source: string; reason: string }[] };
  trading_mode?: string;
  breakers: Breaker[];
}

export interface HistoryPoint {
  at: string;
  equity: number;
  peak: number;
  drawdown: number;
}

export interface EquityHistory {
  account: string;
  currency: string | null;
  total_points: number;
  points: HistoryPoint[];
  max_drawdown: number;
  summary: {
    equity: number | null;
    as_of: string | null;
    day_open_equity: number | null;
    pnl_today: number | null;
    pnl_today_fraction: number | null;
    first_equity: number | null;
    first_at: string | null;
    pnl_overall: number | null;
    pnl_overall_fraction: number | null;
    peak_equity: number | null;
  };
}
