/** Row shapes of the foundation tables. Other capabilities declare theirs beside their repository. */
export interface DecisionRow {
  id: string;
  asset_pair: string;
  decided_at: string;
  created_at: string;
  action: string;
  confidence: number;
  provider: string;
  executed: number;
  execution: string | null;
  record: string;
  /** JSON of `decisionSummary` without `executed` (that is its own column), on rows written between migration 005 and its writes' end; null otherwise (summaries() then reads the record). */
  summary: string | null;
}

export interface CandleRow {
  pair: string;
  timeframe: string;
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface CandleSeriesRow {
  pair: string;
  timeframe: string;
  source: string;
  imported_at: string;
}

export interface FoundationTables {
  decisions: DecisionRow;
  candles: CandleRow;
  candle_series: CandleSeriesRow;
}
