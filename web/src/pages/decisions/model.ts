/**
 * The Decisions pages' data as the API sends it (snake_case, src/interfaces/http/wire.ts) and the
 * pure functions that shape it for display: filters ↔ query, provider votes, pulse, ensemble facts.
 * Older decisions lack fields newer ones carry; every reader here copes with their absence.
 */
import type { Query } from '../../lib/api';

export const ACTIONS = ['BUY', 'SELL', 'HOLD'] as const;
export type Action = (typeof ACTIONS)[number];

export interface DecisionSummary {
  id: string;
  asset_pair: string;
  timestamp: string;
  created_at: string;
  action: Action;
  confidence: number;
  reasoning: string;
  entry_price: number | null;
  suggested_size_units: number | null;
  stop_loss_price: number | null;
  take_profit_price: number | null;
  signal?: { action: Action; confidence: number } | null;
  gates?: string[] | null;
  regime?: string | null;
  provider: string;
  model?: string | null;
  executed: boolean;
}

export interface DecisionPage {
  decisions: DecisionSummary[];
  next_cursor: string | null;
}

export interface TimeframePulse {
  timeframe: string;
  status?: 'ok' | 'insufficient' | 'unavailable';
  bars?: number;
  last_bar_time?: number | null;
  trend?: string | null;
  strength?: number | null;
  indicators?: { rsi?: number; rsi_zone?: string; adx?: { adx?: number }; atr_fraction?: number; macd?: { histogram?: number } } | null;
  note?: string;
}

export interface Decision extends Omit<DecisionSummary, 'regime'> {
  suggested_size_quote?: number;
  risk_fraction?: number;
  pulse?: {
    timeframes?: TimeframePulse[];
    confluence?: { direction?: string; strength?: number; up_percent?: number; down_percent?: number } | null;
    signal_strength?: number;
    description?: string;
  } | null;
  regime?: { regime?: string; timeframe?: string | null; adx?: number | null; atr_fraction?: number | null; reason?: string } | string | null;
  freshness?: { is_fresh?: boolean; warning?: string | null } | null;
  market_status?: { is_open?: boolean; session?: string; reason?: string } | null;
  metadata?: Record<string, unknown> | null;
}

export interface Approval {
  id: string;
  decision_id: string;
  pair: string;
  action: Action;
  confidence: number;
  summary: string;
  size_units?: number | null;
  status: 'pending' | 'approved' | 'rejected' | 'expired';
  /** ms */
  created_at: number;
  expires_at: number;
  decided_at: number | null;
  note: string | null;
}

export interface Denial {
  code: string;
  check: string;
  message: string;
  value: number | null;
  limit: number | null;
}

export interface DecisionOutcome {
  decision_id: string;
  approval: Approval | null;
  risk: { status: 'passed' | 'denied' | 'unknown'; at: number | null; message: string | null; denials: Denial[] };
  execution: { mode?: string; venue?: string; status?: string; executed_at?: string; orders?: Record<string, unknown>[] } | null;
}

// ---------------------------------------------------------------- filters

export interface HistoryFilters {
  asset: string;
  action: '' | Action;
  provider: string;
  /** '' any, 'true' executed only, 'false' not executed. */
  executed: '' | 'true' | 'false';
}

export const NO_FILTERS: HistoryFilters = { asset: '', action: '', provider: '', executed: '' };

/** The GET /api/v1/decisions query for a set of filters (empty ones left out) and a page. */
export function filtersToQuery(f: HistoryFilters, page: { cursor?: string | null; limit?: number } = {}): Query {
  const q: Query = { limit: page.limit ?? 50 };
  const asset = f.asset.trim().toUpperCase();
  if (asset) q.asset = asset;
  if (f.action) q.action = f.action;
  if (f.provider.trim()) q.provider = f.provider.trim();
  if (f.executed) q.executed = f.executed;
  if (page.cursor) q.cursor = page.cursor;
  return q;
}

/** Filters from the page's address (`/decisions?action=BUY&asset=BTCUSD`): shareable, back/forward keep them. */
export function filtersFromSearch(s: URLSearchParams): HistoryFilters {
  const action = s.get('action')?.toUpperCase() ?? '';
  const executed = s.get('executed') ?? '';
  return {
    asset: s.get('asset') ?? '',
    action: (ACTIONS as readonly string[]).includes(action) ? (action as Action) : '',
    provider: s.get('provider') ?? '',
    executed: executed === 'true' || executed === 'false' ? executed : '',
  };
}

export function filtersToSearch(f: HistoryFilters): string {
  const q = filtersToQuery(f);
  delete q.limit;
  const s = new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)])).toString();
  return s ? `?${s}` : '';
}

/** Whether a decision passes the filters (new decisions arriving live are checked before they are shown). */
export function matchesFilters(d: Pick<DecisionSummary, 'asset_pair' | 'action' | 'provider' | 'executed'>, f: HistoryFilters): boolean {
  const norm = (s: string) => s.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
  if (f.asset.trim() && norm(d.asset_pair) !== norm(f.asset)) return false;
  if (f.action && d.action !== f.action) return false;
  if (f.provider.trim() && d.provider !== f.provider.trim()) return false;
  if (f.executed && String(d.executed) !== f.executed) return false;
  return true;
}

/** The newest page merged over what is shown: new decisions on top, none twice, newest first. */
/** Decisions newest first, each once (shared with every newest-first list). */
export { mergeNewest } from '../../lib/paging';

// ---------------------------------------------------------------- a decision's detail

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

export interface VoteRow {
  provider: string;
  /** Null for a provider that failed to answer. */
  action: Action | null;
  confidence: number | null;
  /** Its share of the ensemble (0–1) after failed members' weight was redistributed. */
  weight: number | null;
  /** Its configured share before redistribution. */
  baseWeight: number | null;
  latencyMs: number | null;
  local: boolean | null;
  failure: string | null;
  /** Voted with the final action. */
  agrees: boolean;
}

/**
 * One row per provider: the ensemble's voters (provider_votes), its failed members
 * (providers_failed) and their latencies; a single-provider decision is one row of its own.
 */
export function voteRows(d: Pick<Decision, 'provider' | 'action' | 'confidence' | 'signal' | 'metadata'>): VoteRow[] {
  const m = obj(d.metadata);
  const latency = obj(m.latency_ms);
  const adjusted = obj(m.adjusted_weights);
  const original = obj(m.original_weights);
  const votes = Array.isArray(m.provider_votes) ? m.provider_votes.map(obj) : null;
  if (!votes) {
    const failure = obj(m.provider_failure);
    const rows: VoteRow[] = [];
    if (str(failure.provider))
      rows.push({
        provider: String(failure.provider),
        action: null,
        confidence: null,
        weight: null,
        baseWeight: null,
        latencyMs: null,
        local: null,
        failure: `${str(failure.code) ?? 'ERROR'}: ${str(failure.reason) ?? ''}`.trim(),
        agrees: false,
      });
    const sig = d.signal ?? { action: d.action, confidence: d.confidence };
    rows.push({ provider: d.provider, action: sig.action, confidence: sig.confidence, weight: 1, baseWeight: null, latencyMs: num(latency[d.provider]), local: null, failure: null, agrees: sig.action === d.action });
    return rows;
  }
  const rows: VoteRow[] = votes.map((v) => {
    const provider = String(v.provider ?? '?');
    const action = (ACTIONS as readonly string[]).includes(String(v.action)) ? (v.action as Action) : null;
    return {
      provider,
      action,
      confidence: num(v.confidence),
      weight: num(v.weight) ?? num(adjusted[provider]),
      baseWeight: num(original[provider]),
      latencyMs: num(latency[provider]),
      local: typeof v.local === 'boolean' ? v.local : null,
      failure: null,
      agrees: action === d.action,
    };
  });
  const failed = Array.isArray(m.providers_failed) ? m.providers_failed.map(obj) : [];
  for (const f of failed) {
    const provider = String(f.provider ?? '?');
    rows.push({
      provider,
      action: null,
      confidence: null,
      weight: 0,
      baseWeight: num(original[provider]),
      latencyMs: num(latency[provider]),
      local: null,
      failure: `${str(f.code) ?? 'ERROR'}: ${str(f.reason) ?? ''}`.trim(),
      agrees: false,
    });
  }
  return rows;
}

export interface EnsembleFacts {
  ensemble: boolean;
  /** weighted | majority | average | single_provider; null when not an ensemble decision or unknown. */
  tier: string | null;
  tiersSkipped: string[];
  quorum: { answered: number; required: number; met: boolean; penaltyFactor: number | null } | null;
  agreement: number | null;
  weightsSource: string | null;
  originalConfidence: number | null;
  degraded: boolean;
  fallback: string | null;
}

export function ensembleFacts(d: Pick<Decision, 'metadata'>): EnsembleFacts {
  const m = obj(d.metadata);
  const answered = num(m.local_providers_answered);
  const required = num(m.min_local_providers);
  return {
    ensemble: m.ensemble === true,
    tier: str(m.fallback_tier),
    tiersSkipped: Array.isArray(m.tiers_skipped) ? m.tiers_skipped.map((t) => (typeof t === 'string' ? t : String(obj(t).tier ?? JSON.stringify(t)))) : [],
    quorum: answered !== null && required !== null ? { answered, required, met: m.local_quorum_met !== false, penaltyFactor: num(m.confidence_adjustment_factor) } : null,
    agreement: num(m.agreement_score),
    weightsSource: str(m.weights_source),
    originalConfidence: num(m.original_confidence),
    degraded: m.degraded === true,
    fallback: str(m.fallback_used),
  };
}

export const TIMEFRAMES = ['1m', '5m', '15m', '1h', '4h', '1d'] as const;

export interface PulseRow {
  timeframe: string;
  status: string;
  trend: string | null;
  strength: number | null;
  rsi: number | null;
  adx: number | null;
  note: string;
}

/** The six timeframes in order (missing ones shown as unavailable); others the pulse has follow. */
export function pulseRows(d: Pick<Decision, 'pulse'>): PulseRow[] {
  const tfs = Array.isArray(d.pulse?.timeframes) ? d.pulse.timeframes : [];
  if (!tfs.length) return [];
  const by = new Map(tfs.map((t) => [t.timeframe, t]));
  const order = [...TIMEFRAMES, ...tfs.map((t) => t.timeframe).filter((t) => !(TIMEFRAMES as readonly string[]).includes(t))];
  return order.map((tf) => {
    const t = by.get(tf);
    return {
      timeframe: tf,
      status: t?.status ?? 'unavailable',
      trend: t?.trend ?? null,
      strength: num(t?.strength),
      rsi: num(t?.indicators?.rsi),
      adx: num(t?.indicators?.adx?.adx),
      note: t?.note ?? (t ? '' : 'not in this decision'),
    };
  });
}

/** The regime whether the record holds the object (full record) or just its name (summary, older records). */
export function regimeOf(d: Pick<Decision, 'regime'>): { regime: string; reason: string | null; timeframe: string | null; adx: number | null } | null {
  const r = d.regime;
  if (!r) return null;
  if (typeof r === 'string') return { regime: r, reason: null, timeframe: null, adx: null };
  return r.regime ? { regime: r.regime, reason: r.reason ?? null, timeframe: r.timeframe ?? null, adx: num(r.adx) } : null;
}

export const actionTone = (a: string | null | undefined): 'ok' | 'bad' | 'muted' => (a === 'BUY' ? 'ok' : a === 'SELL' ? 'bad' : 'muted');

/** An approval's expiry (ms) as fmtUntil takes it. */
export const expiryIso = (ms: number): string => new Date(ms).toISOString();
