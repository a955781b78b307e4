import Table from 'cli-table3';
import { currencyDecimals, pairUnitDecimals, priceDecimals } from '../../core/precision.js';

/**
 * How the CLI shows numbers to people (every command's human output goes through here): money to
 * the currency's precision, prices to the pair's, units to the pair's order precision,
 * percentages and ratios to two decimals, a dash for anything missing or not a number. `--json`
 * keeps full precision.
 */
export const DASH = '-';

export function table(head: string[], rows: (string | number)[][]): string {
  const t = new Table({ head, style: { head: [], border: [] } });
  for (const r of rows) t.push(r.map(String));
  return t.toString();
}

export const iso = (ms: number | null | undefined): string => (ms === null || ms === undefined || !Number.isFinite(ms) ? '-' : new Date(ms).toISOString().replace('.000Z', 'Z'));

/** `2024-03-01 14:00` (UTC), for log lines. */
export const minute = (ms: number): string => (Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 16).replace('T', ' ') : DASH);

type Numeric = number | string | null | undefined;

/** A number from what records hold (numbers, or decimal strings such as `"9997.3877375045687"`); null when there is none. */
function value(x: Numeric): number | null {
  if (x === null || x === undefined || x === '') return null;
  const n = typeof x === 'number' ? x : Number(x);
  return Number.isFinite(n) ? n : null;
}

/**
 * `abs` (finite, ≥ 0, < 1e21) to exactly `digits` decimals as Intl.NumberFormat('en-US') rounds:
 * half away from zero on the number's shortest decimal form (so 1.005 → 1.01, where toFixed says
 * 1.00). Written out because the first Intl.NumberFormat costs ~30 ms of ICU start-up, a tenth of
 * `ffe analyze` (issue 17). Returns the integer digits and the fraction digits.
 */
function roundShortest(abs: number, digits: number): [string, string] {
  const [mantissa, exp = '0'] = String(abs).split('e');
  const [ip, fp = ''] = mantissa.split('.');
  let all = ip + fp;
  let point = ip.length + Number(exp);
  if (point <= 0) {
    all = '0'.repeat(1 - point) + all;
    point = 1;
  }
  if (all.length < point + digits) all += '0'.repeat(point + digits - all.length);
  let kept = all.slice(0, point + digits);
  if (all.charCodeAt(point + digits) >= 53 /* '5' */) {
    // Add one in the last kept place, carrying leftwards (a new leading 1 when every digit was 9).
    const d = kept.split('');
    let i = d.length - 1;
    while (i >= 0 && d[i] === '9') d[i--] = '0';
    if (i >= 0) d[i] = String(Number(d[i]) + 1);
    else {
      d.unshift('1');
      point++;
    }
    kept = d.join('');
  }
  return [kept.slice(0, point).replace(/^0+(?=\d)/, ''), kept.slice(point)];
}

const grouped = (int: string): string => int.replace(/\B(?=(\d{3})+$)/g, ',');

/** Beyond 1e21 String() writes an exponent: leave those (never seen in practice) to Intl. */
const HUGE = 1e21;

/** Fixed `digits` decimals with thousands separators; never `-0.00`. */
export function fixed(x: Numeric, digits: number): string {
  const n = value(x);
  if (n === null) return DASH;
  if (Math.abs(n) >= HUGE) return new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits, signDisplay: 'negative' }).format(n);
  const [int, frac] = roundShortest(Math.abs(n), digits);
  const negative = n < 0 && /[1-9]/.test(int + frac);
  return `${negative ? '-' : ''}${grouped(int)}${frac ? `.${frac}` : ''}`;
}

/** A general number: up to `digits` decimals (default by size), trailing zeros dropped. */
export function num(x: Numeric, digits?: number): string {
  const n = value(x);
  if (n === null) return DASH;
  const d = digits ?? (Math.abs(n) >= 1000 ? 2 : Math.abs(n) >= 1 ? 4 : 6);
  if (Math.abs(n) >= HUGE) return n.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: d });
  const [int, frac] = roundShortest(Math.abs(n), d);
  const shown = frac.replace(/0+$/, '');
  // Like toLocaleString: a negative number that rounds to zero is "-0".
  return `${n < 0 || Object.is(n, -0) ? '-' : ''}${grouped(int)}${shown ? `.${shown}` : ''}`;
}

/** An amount of money (cash, equity, P&L, fees) in `currency`: 2 decimals for USD, EUR...; 0 for JPY; 8 for BTC. */
export const money = (x: Numeric, currency = 'USD'): string => fixed(x, currencyDecimals(currency));

/** A price of `pair` to its quote precision (2 for BTCUSD, 5 for EURUSD). */
export function price(x: Numeric, pair: string): string {
  const n = value(x);
  return n === null ? DASH : fixed(n, priceDecimals(pair, n));
}

/** Units (a position's or an order's size) of `pair` to the precision orders are sent with. */
export const units = (x: Numeric, pair: string): string => fixed(x, pairUnitDecimals(pair));

/** A fraction as a percentage: `pct(0.0235)` → `2.35%`. */
export function pct(fraction: Numeric, digits = 2): string {
  const n = value(fraction);
  return n === null ? DASH : `${fixed(n * 100, digits)}%`;
}

/** A ratio without a unit (Sharpe, Sortino, profit factor, a weight): two decimals. */
export const ratio = (x: Numeric, digits = 2): string => fixed(x, digits);

/** A whole count with thousands separators. */
export const count = (x: Numeric): string => fixed(x, 0);

/**
 * What each optimisation objective is called in every research output (backtest, walk-forward,
 * optimize, Monte Carlo): the backtest summary's metric names, one column per metric.
 */
export const OBJECTIVE_LABEL: Record<string, string> = {
  sharpe: 'Sharpe',
  sortino: 'Sortino',
  return: 'total return',
  calmar: 'Calmar',
  'return-drawdown': 'return/drawdown',
  'profit-factor': 'profit factor',
};
export const objectiveLabel = (name: string): string => OBJECTIVE_LABEL[name] ?? name;
/** An objective's score as its metric is shown: a return as a percentage, the rest as ratios. */
export const objectiveValue = (name: string, x: Numeric): string => (name === 'return' ? pct(x) : ratio(x));

const FAILURE_WORDS: Record<string, string> = {
  TIMEOUT: 'timed out',
  REPLAY_MISS: 'missed the cassette',
  UNREACHABLE: 'was unreachable',
  HTTP: 'answered with an HTTP error',
  INVALID_OUTPUT: 'answered something unusable',
  NOT_INSTALLED: 'is not installed',
  BUDGET_EXHAUSTED: 'has spent its daily budget',
  ABORTED: 'was cancelled',
};

const failed = (f: { provider: string; code: string; reason?: string }) => `${f.provider} ${FAILURE_WORDS[f.code] ?? 'failed'} (${f.code}${f.reason ? `: ${f.reason}` : ''})`;

/**
 * What a person must know before trusting a decision: whether it is degraded (the provider asked
 * did not answer, so a fallback did) and which providers failed, timed out or missed the cassette.
 * Empty when every provider answered.
 */
export function providerHealthLines(metadata: Record<string, unknown>): string[] {
  const lines: string[] = [];
  const failure = metadata.providerFailure as { provider: string; code: string; reason: string } | undefined;
  const members = (Array.isArray(metadata.providers_failed) ? metadata.providers_failed : []) as { provider: string; code: string; reason: string }[];
  if (metadata.degraded === true) {
    const by = typeof metadata.fallbackUsed === 'string' ? `the fallback provider ${metadata.fallbackUsed} answered instead` : 'no fallback answered: HOLD';
    lines.push(`DEGRADED decision: ${failure ? failed(failure) : 'the provider did not answer'}; ${by}. It is not executed unless execution.allow_degraded is set.`);
  }
  if (members.length) lines.push(`ensemble members that did not answer: ${members.map((m) => failed({ provider: m.provider, code: m.code })).join('; ')}`);
  return lines;
}
