import { DASH, iso, money, num, pct, price, table, units } from '../cli/format.js';

/**
 * Human rendering of API answers whose fields are not all fixed yet: known field names get the
 * `ffe` CLI's number rules (money, percentages, prices and units to the pair's precision, a dash
 * for anything missing or not a number); anything else is shown generically. Never prints
 * `[object Object]` or NaN.
 */
type Rec = Record<string, unknown>;

const isRec = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);
const isScalar = (v: unknown) => v === null || v === undefined || ['string', 'number', 'boolean'].includes(typeof v);

const MONEY = /(^|_)(pnl|equity|balance|cash|fees?|value|notional|exposure|capital)$/;
const PRICE = /(^|_)price$/;
const UNITS = /^(size|quantity|qty|units|amount|filled|filled_size)$/;
const PERCENT = /(_pct|_percent)$/;
const TIME = /(^|_)(at|time|timestamp|ts)$/;
const UPTIME = /^uptime(_s|_seconds|_ms)?$/;

/** `3723` seconds → `1h 02m 03s`. */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return DASH;
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return d ? `${d}d ${pad(h)}h ${pad(m)}m` : h ? `${h}h ${pad(m)}m ${pad(s % 60)}s` : m ? `${m}m ${pad(s % 60)}s` : `${s % 60}s`;
}

const numeric = (v: unknown): number | null => {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
};

/** The pair a record is about, for price and unit precision. */
const pairOf = (r: Rec | undefined): string | undefined => {
  const p = r?.asset_pair ?? r?.pair ?? r?.symbol;
  return typeof p === 'string' ? p : undefined;
};

/** One field's value as text, by its name and (for prices, units) the pair of its record. */
export function field(key: string, v: unknown, rec?: Rec): string {
  if (v === null || v === undefined || v === '') return DASH;
  const k = key.toLowerCase();
  const n = numeric(v);
  if (n !== null && typeof v !== 'boolean') {
    if (UPTIME.test(k)) return duration(k.endsWith('_ms') ? n / 1000 : n);
    if (TIME.test(k)) return n > 1e11 ? iso(n) : n > 1e8 ? iso(n * 1000) : num(n);
    if (PERCENT.test(k)) return pct(n);
    const pair = pairOf(rec);
    if (PRICE.test(k)) return pair ? price(n, pair) : num(n);
    if (UNITS.test(k)) return pair ? units(n, pair) : num(n);
    if (MONEY.test(k)) return money(n, typeof rec?.currency === 'string' ? rec.currency : 'USD');
    return num(n);
  }
  if (typeof v === 'number') return DASH; // NaN or Infinity
  return inline(v);
}

/** Any value on one line: scalars as is, arrays joined, objects as `k=v` pairs. */
export function inline(v: unknown, depth = 0): string {
  if (v === null || v === undefined) return DASH;
  if (typeof v === 'number') return num(v);
  // A number the server could not compute arrives as "NaN" text: a dash, as the ffe CLI shows it.
  if (typeof v === 'string') return v === '' || /^[-+]?(NaN|Infinity)$/.test(v) ? DASH : v;
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) return v.length === 0 ? DASH : depth > 1 ? `${v.length} items` : v.map((x) => inline(x, depth + 1)).join(', ');
  if (isRec(v)) {
    const entries = Object.entries(v);
    if (!entries.length) return DASH;
    return depth > 1 ? `{${entries.length} fields}` : entries.map(([k, x]) => `${k}=${isScalar(x) ? field(k, x, v) : inline(x, depth + 1)}`).join(' ');
  }
  return String(v);
}

/** `key: value` lines, nested records indented under their key, lists of records as small tables. */
export function keyValues(rec: Rec, indent = ''): string {
  const entries = Object.entries(rec);
  if (!entries.length) return `${indent}(empty)`;
  const width = Math.max(...entries.map(([k]) => k.length));
  const lines: string[] = [];
  for (const [k, v] of entries) {
    if (isRec(v) && Object.keys(v).length && indent.length < 8) {
      lines.push(`${indent}${k}:`);
      lines.push(keyValues(v, `${indent}  `));
    } else if (Array.isArray(v) && v.length && v.every(isRec) && indent.length < 8) {
      lines.push(`${indent}${k}:`);
      lines.push(
        recordsTable(v as Rec[])
          .split('\n')
          .map((l) => `${indent}  ${l}`)
          .join('\n'),
      );
    } else lines.push(`${indent}${k.padEnd(width)}  ${field(k, v, rec)}`);
  }
  return lines.join('\n');
}

/** Columns shown first when present; the rest follow in the order the server sent them. */
const PREFERRED = [
  'id',
  'status',
  'state',
  'asset_pair',
  'pair',
  'action',
  'side',
  'size',
  'entry_price',
  'current_price',
  'price',
  'confidence',
  'unrealized_pnl',
  'pnl',
  'created_at',
  'time',
  'timestamp',
  'actor',
  'role',
];
const MAX_COLUMNS = 9;

/** A table of records: the scalar fields (and nested ones inline), preferred columns first. */
export function recordsTable(rows: Rec[]): string {
  const keys: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!keys.includes(k)) keys.push(k);
  const cols = [...PREFERRED.filter((k) => keys.includes(k)), ...keys.filter((k) => !PREFERRED.includes(k))].slice(0, MAX_COLUMNS);
  return table(
    cols,
    rows.map((r) => cols.map((c) => field(c, r[c], r))),
  );
}

/** A list answer: the array itself or the first array field of the body (`{decisions: [...]}`). */
export function listOf(body: unknown, key?: string): Rec[] | null {
  const arr = Array.isArray(body) ? body : isRec(body) ? ((key && Array.isArray(body[key]) ? body[key] : Object.values(body).find(Array.isArray)) as unknown[] | undefined) : undefined;
  return arr ? arr.map((x) => (isRec(x) ? x : { value: x })) : null;
}

/** Any body as human text: records as key-values, lists as tables, text as is. */
export function render(body: unknown): string {
  if (isRec(body)) return keyValues(body);
  if (Array.isArray(body)) return body.length ? recordsTable(body.map((x) => (isRec(x) ? x : { value: x }))) : '(none)';
  return inline(body);
}
