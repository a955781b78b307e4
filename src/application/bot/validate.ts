import type { App } from '../../app/container.js';
import type { TuningOverrides } from '../../app/tuning.js';
import { FfeError, inputError, isFfeError, type ErrorCode } from '../../core/errors.js';
import { standardizeAssetPair } from '../../core/pair.js';

/** `POST /api/v1/bot/start`, as sent (snake_case, every field optional). */
export interface BotStartRequest {
  asset_pairs?: string[];
  autonomous?: boolean;
  take_profit?: number;
  stop_loss?: number;
  dry_run?: boolean;
}

/** What a start resolved to: persisted as the requested run, shown by status. */
export interface BotRunSettings {
  asset_pairs: string[];
  autonomous: boolean;
  take_profit: number | null;
  stop_loss: number | null;
  dry_run: boolean;
}

export interface ManualTradeRequest {
  asset_pair: string;
  action: 'BUY' | 'SELL';
  /** Base units. */
  size: number;
  /** Reference price for the stop, target and notional (default: the current price); orders are market orders. */
  price?: number;
  /** Stop-loss price. */
  stop_loss?: number;
  /** Take-profit price. */
  take_profit?: number;
}

/** One line naming the field, with the field in `details.field` (the API lists it in `fields`). */
export const fieldError = (code: ErrorCode, field: string, problem: string): FfeError => inputError(code, `${field}: ${problem}`, { field, fields: [field] });

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function fraction(code: ErrorCode, field: string, v: unknown, min: number, max: number, minInclusive = true): number {
  if (!isNum(v) || (minInclusive ? v < min : v <= min) || v > max) throw fieldError(code, field, `must be a number ${minInclusive ? '≥' : '>'} ${min} and ≤ ${max} (got ${JSON.stringify(v)})`);
  return v;
}

/** Validates a start request against the configuration and the data: unknown pairs and out-of-range fractions name their field. */
export async function resolveStart(app: App, req: BotStartRequest): Promise<BotRunSettings> {
  const code = 'AGENT_OPTIONS';
  let pairs = app.config.agent.assets;
  if (req.asset_pairs !== undefined) {
    if (!Array.isArray(req.asset_pairs) || req.asset_pairs.length === 0) throw fieldError(code, 'asset_pairs', 'give at least one pair, e.g. ["BTCUSD"]');
    pairs = [];
    for (const raw of req.asset_pairs) {
      let pair: string;
      try {
        pair = standardizeAssetPair(raw);
      } catch (e) {
        throw fieldError(code, 'asset_pairs', isFfeError(e) ? e.message : String(e));
      }
      if (!pairs.includes(pair)) pairs.push(pair);
    }
  }
  // A pair the data source does not have is refused now, not as an analysis failure every cycle.
  for (const pair of pairs) {
    try {
      await app.marketData.latestQuote(pair);
    } catch (e) {
      if (isFfeError(e) && e.kind === 'input') throw fieldError(code, 'asset_pairs', `unknown pair ${pair}: ${e.message}`);
    }
  }
  if (req.autonomous !== undefined && typeof req.autonomous !== 'boolean') throw fieldError(code, 'autonomous', 'must be true or false');
  if (req.dry_run !== undefined && typeof req.dry_run !== 'boolean') throw fieldError(code, 'dry_run', 'must be true or false');
  return {
    asset_pairs: pairs,
    autonomous: req.autonomous ?? app.config.agent.approval === 'autonomous',
    take_profit: req.take_profit === undefined ? null : fraction(code, 'take_profit', req.take_profit, 0.001, 1),
    stop_loss: req.stop_loss === undefined ? null : fraction(code, 'stop_loss', req.stop_loss, 0.001, 1),
    dry_run: req.dry_run ?? false,
  };
}

/** Validates a config change: each field in range, provider weights over the ensemble's members summing to 1. */
export function validateConfigPatch(app: App, patch: TuningOverrides): TuningOverrides {
  const code = 'BOT_CONFIG_INVALID';
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) throw fieldError(code, 'body', 'must be an object');
  const known = ['stop_loss_pct', 'position_size_pct', 'confidence_threshold', 'max_concurrent_trades', 'provider_weights'];
  for (const k of Object.keys(patch)) if (!known.includes(k)) throw fieldError(code, k, `unknown setting; known: ${known.join(', ')}`);
  const out: TuningOverrides = {};
  if (patch.stop_loss_pct !== undefined) out.stop_loss_pct = fraction(code, 'stop_loss_pct', patch.stop_loss_pct, 0, 0.1, false);
  if (patch.position_size_pct !== undefined) out.position_size_pct = fraction(code, 'position_size_pct', patch.position_size_pct, 0, 0.05, false);
  if (patch.confidence_threshold !== undefined) out.confidence_threshold = fraction(code, 'confidence_threshold', patch.confidence_threshold, 0.5, 1);
  if (patch.max_concurrent_trades !== undefined) {
    const n = patch.max_concurrent_trades;
    if (!Number.isInteger(n) || n < 1 || n > 10) throw fieldError(code, 'max_concurrent_trades', `must be a whole number from 1 to 10 (got ${JSON.stringify(n)})`);
    out.max_concurrent_trades = n;
  }
  if (patch.provider_weights !== undefined) {
    const w = patch.provider_weights;
    if (w === null || typeof w !== 'object' || Array.isArray(w)) throw fieldError(code, 'provider_weights', 'must be an object of provider name → weight');
    const members = ensembleMembers(app);
    const entries = Object.entries(w);
    if (!entries.length) throw fieldError(code, 'provider_weights', `give a weight per ensemble member (${members.join(', ') || 'none configured'})`);
    for (const [name, v] of entries) {
      if (!members.includes(name)) throw fieldError(code, `provider_weights.${name}`, `not an ensemble member; known: ${members.join(', ') || 'none'}`);
      fraction(code, `provider_weights.${name}`, v, 0, 1);
    }
    const sum = entries.reduce((a, [, v]) => a + v, 0);
    if (Math.abs(sum - 1) > 0.01) throw fieldError(code, 'provider_weights', `weights must sum to 1 (±0.01); they sum to ${sum.toFixed(4)}`);
    out.provider_weights = { ...w };
  }
  return out;
}

/** Providers whose weights the ensemble uses. */
export const ensembleMembers = (app: App): string[] => app.providerSetup.catalog.filter((c) => c.inEnsemble).map((c) => c.name);

/** Validates a manual trade; the pair is standardised. */
export function validateManualTrade(req: ManualTradeRequest): ManualTradeRequest {
  const code = 'TRADE_INVALID';
  if (req === null || typeof req !== 'object') throw fieldError(code, 'body', 'must be an object');
  let pair: string;
  try {
    pair = standardizeAssetPair(req.asset_pair);
  } catch (e) {
    throw fieldError(code, 'asset_pair', isFfeError(e) ? e.message : String(e));
  }
  if (req.action !== 'BUY' && req.action !== 'SELL') throw fieldError(code, 'action', `must be BUY or SELL (got ${JSON.stringify(req.action)})`);
  if (!isNum(req.size) || req.size <= 0) throw fieldError(code, 'size', `must be a number of units > 0 (got ${JSON.stringify(req.size)})`);
  for (const f of ['price', 'stop_loss', 'take_profit'] as const) {
    const v = req[f];
    if (v !== undefined && (!isNum(v) || v <= 0)) throw fieldError(code, f, `must be a price > 0 (got ${JSON.stringify(v)})`);
  }
  return { asset_pair: pair, action: req.action, size: req.size, price: req.price, stop_loss: req.stop_loss, take_profit: req.take_profit };
}

/** Stop and target on the right side of the price for the trade's direction. */
export function checkStops(t: ManualTradeRequest, price: number): void {
  const long = t.action === 'BUY';
  if (t.stop_loss !== undefined && (long ? t.stop_loss >= price : t.stop_loss <= price)) throw fieldError('TRADE_INVALID', 'stop_loss', `a ${t.action} stop must be ${long ? 'below' : 'above'} the price ${price}`);
  if (t.take_profit !== undefined && (long ? t.take_profit <= price : t.take_profit >= price))
    throw fieldError('TRADE_INVALID', 'take_profit', `a ${t.action} target must be ${long ? 'above' : 'below'} the price ${price}`);
}
