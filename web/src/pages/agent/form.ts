import type { LiveConfig } from '../dashboard/types';

/** A pair as the server takes it: letters/digits, optionally split by `/`, `-` or `_` (BTCUSD, btc-usd, EUR_USD). */
const PAIR = /^[A-Za-z0-9]{2,12}([/_-][A-Za-z0-9]{2,12})?$/;

/** "BTCUSD, eth-usd  EURUSD" → pairs (upper-cased, duplicates dropped), or the first bad one named. */
export function parseAssets(text: string): { pairs: string[]; error: string | null } {
  const parts = text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const pairs: string[] = [];
  for (const p of parts) {
    if (!PAIR.test(p)) return { pairs: [], error: `Assets: "${p}" is not a pair (e.g. BTCUSD, ETH-USD)` };
    const up = p.toUpperCase();
    if (!pairs.includes(up)) pairs.push(up);
  }
  if (pairs.length > 50) return { pairs: [], error: 'Assets: at most 50 pairs' };
  return { pairs, error: null };
}

/**
 * A fraction typed as `0.05` or `5%` (→ 0.05); empty is "not given" (null). Out of [min, max] or
 * not a number: an error naming the field.
 */
export function parseFraction(text: string, field: string, min: number, max: number): { value: number | null; error: string | null } {
  const t = text.trim();
  if (!t) return { value: null, error: null };
  const pct = t.endsWith('%');
  const n = Number(pct ? t.slice(0, -1).trim() : t);
  if (!Number.isFinite(n)) return { value: null, error: `${field}: not a number (e.g. 0.05 or 5%)` };
  const v = pct ? n / 100 : n;
  if (v < min || v > max) return { value: null, error: `${field}: must be from ${fmtFrac(min)} to ${fmtFrac(max)} (got ${fmtFrac(v)})` };
  return { value: Math.round(v * 1e10) / 1e10, error: null };
}

const fmtFrac = (v: number) => `${Math.round(v * 1e6) / 1e4} %`;

export interface StartForm {
  assets: string;
  takeProfit: string;
  stopLoss: string;
  manualApproval: boolean;
  dryRun: boolean;
}

export interface StartBody {
  asset_pairs?: string[];
  autonomous: boolean;
  take_profit?: number;
  stop_loss?: number;
  dry_run: boolean;
}

/** The start form as a POST /api/v1/bot/start body, or the errors to show (empty assets: the configured ones). */
export function startBody(f: StartForm): { body: StartBody | null; errors: string[] } {
  const errors: string[] = [];
  const assets = parseAssets(f.assets);
  if (assets.error) errors.push(assets.error);
  const tp = parseFraction(f.takeProfit, 'Take-profit', 0.001, 1);
  const sl = parseFraction(f.stopLoss, 'Stop-loss', 0.001, 1);
  if (tp.error) errors.push(tp.error);
  if (sl.error) errors.push(sl.error);
  if (errors.length) return { body: null, errors };
  const body: StartBody = { autonomous: !f.manualApproval, dry_run: f.dryRun };
  if (assets.pairs.length) body.asset_pairs = assets.pairs;
  if (tp.value !== null) body.take_profit = tp.value;
  if (sl.value !== null) body.stop_loss = sl.value;
  return { body, errors };
}

/** The live settings the form edits (text as typed). */
export interface SettingsForm {
  stop_loss_pct: string;
  position_size_pct: string;
  confidence_threshold: string;
  max_concurrent_trades: string;
}

export const SETTING_LABELS: Record<keyof SettingsForm, string> = {
  stop_loss_pct: 'Stop-loss',
  position_size_pct: 'Position size',
  confidence_threshold: 'Confidence threshold',
  max_concurrent_trades: 'Max concurrent trades',
};

export function settingsForm(c: LiveConfig): SettingsForm {
  return {
    stop_loss_pct: String(c.stop_loss_pct),
    position_size_pct: String(c.position_size_pct),
    confidence_threshold: String(c.confidence_threshold),
    max_concurrent_trades: String(c.max_concurrent_trades),
  };
}

export type ConfigPatch = Partial<Pick<LiveConfig, 'stop_loss_pct' | 'position_size_pct' | 'confidence_threshold' | 'max_concurrent_trades'>>;

/**
 * Only the settings that changed from `current`, checked against the server's ranges
 * (stop-loss 0–10 %, position size 0–5 %, confidence 0.5–1, 1–10 trades), or the errors.
 */
export function configPatch(f: SettingsForm, current: LiveConfig): { patch: ConfigPatch; errors: string[] } {
  const errors: string[] = [];
  const patch: ConfigPatch = {};
  const frac = (k: 'stop_loss_pct' | 'position_size_pct' | 'confidence_threshold', min: number, max: number, exclusiveMin: boolean) => {
    const r = parseFraction(f[k], SETTING_LABELS[k], min, max);
    if (r.error) return errors.push(r.error);
    if (r.value === null) return;
    if (exclusiveMin && r.value <= min) return errors.push(`${SETTING_LABELS[k]}: must be above ${min}`);
    if (r.value !== current[k]) patch[k] = r.value;
  };
  frac('stop_loss_pct', 0, 0.1, true);
  frac('position_size_pct', 0, 0.05, true);
  frac('confidence_threshold', 0.5, 1, false);
  const t = f.max_concurrent_trades.trim();
  if (t) {
    const n = Number(t);
    if (!Number.isInteger(n) || n < 1 || n > 10) errors.push(`${SETTING_LABELS.max_concurrent_trades}: a whole number from 1 to 10`);
    else if (n !== current.max_concurrent_trades) patch.max_concurrent_trades = n;
  }
  return { patch: errors.length ? {} : patch, errors };
}
