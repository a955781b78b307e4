/** Number and time formats shared by every page (one place, so pages agree). */
const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const qty = new Intl.NumberFormat('en-US', { maximumFractionDigits: 8 });

export const fmtMoney = (v: number | null | undefined, ccy = ''): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : `${money.format(v)}${ccy ? ' ' + ccy : ''}`);
export const fmtSigned = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : `${v > 0 ? '+' : ''}${money.format(v)}`);
export const fmtQty = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : qty.format(v));
/** A fraction (0.0123) as a percent (1.23 %). */
export const fmtPct = (v: number | null | undefined, digits = 2): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(digits)} %`);
export const fmtTime = (iso: string | null | undefined): string => {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : d.toISOString().slice(0, 16).replace('T', ' ');
};
/** Seconds until `iso` as "4 m 10 s", or "expired". */
export const fmtUntil = (iso: string, now = Date.now()): string => {
  const s = Math.round((new Date(iso).getTime() - now) / 1000);
  if (!(s > 0)) return 'expired';
  return s >= 60 ? `${Math.floor(s / 60)} m ${s % 60} s` : `${s} s`;
};
/** The CSS class for a signed value: gains green, losses red. */
export const signClass = (v: number | null | undefined): string => (!v ? '' : v > 0 ? 'up' : 'down');
