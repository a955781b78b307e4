/**
 * Row shapes of the execution tables (migrations 025–026). Decimals are TEXT, times ms. Type
 * aliases, not interfaces: Kysely's withTables needs their implicit index signature.
 */
export type OrderIntentRow = {
  client_order_id: string;
  account: string;
  venue: string;
  decision_id: string | null;
  leg: string;
  position_id: string | null;
  pair: string;
  side: string;
  type: string;
  units: string;
  limit_price: string | null;
  stop_loss_price: string | null;
  take_profit_price: string | null;
  reduce_only: number;
  state: string;
  venue_order_id: string | null;
  filled_units: string;
  average_price: string | null;
  fees: string;
  reason: string | null;
  created_at: number;
  updated_at: number;
  submitted_at: number | null;
};

export type PositionAdjustmentRow = {
  id: string;
  account: string;
  pair: string;
  units: string;
  reason: string;
  created_at: number;
};

export type EquitySnapshotRow = {
  id: string;
  account: string;
  taken_at: number;
  equity: string;
  currency: string;
  source: string;
};

export type ExecutionTables = {
  order_intents: OrderIntentRow;
  position_adjustments: PositionAdjustmentRow;
  equity_snapshots: EquitySnapshotRow;
};
