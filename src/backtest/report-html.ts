import { equityReturns, probabilisticSharpe, shapeOf, sharpeCi, sliceMoments, type OverfittingVerdict } from './overfitting.js';
import type { BacktestResult, Metrics } from './types.js';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(2)}%` : '–');
const n2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '–');

/** At most `max` points (min and max of each bucket kept) so a million-bar curve stays a small SVG. */
function downsample(times: ArrayLike<number>, values: ArrayLike<number>, max = 1200): [number, number][] {
  const n = values.length;
  if (n <= max) return Array.from({ length: n }, (_, i) => [times[i], values[i]]);
  const out: [number, number][] = [];
  const step = n / (max / 2);
  for (let b = 0; b < n; b += step) {
    let lo = Math.floor(b);
    let hi = lo;
    for (let i = Math.floor(b); i < Math.min(n, Math.floor(b + step)); i++) {
      if (values[i] < values[lo]) lo = i;
      if (values[i] > values[hi]) hi = i;
    }
    out.push(...(lo < hi ? [lo, hi] : [hi, lo]).map((i): [number, number] => [times[i], values[i]]));
  }
  return out;
}

export function svgLine(points: [number, number][], opts: { width: number; height: number; color: string; fill?: boolean; label: (v: number) => string }): string {
  const { width: w, height: h } = opts;
  if (points.length < 2) return `<svg width="${w}" height="${h}"></svg>`;
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];
  const pad = 40;
  const sx = (x: number) => pad + ((x - x0) / (x1 - x0 || 1)) * (w - pad - 10);
  const sy = (y: number) => 10 + (1 - (y - y0) / (y1 - y0)) * (h - 30);
  const d = points.map((p, i) => `${i ? 'L' : 'M'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join('');
  const area = opts.fill ? `<path d="${d}L${sx(x1).toFixed(1)},${sy(y1).toFixed(1)}L${sx(x0).toFixed(1)},${sy(y1).toFixed(1)}Z" fill="${opts.color}" opacity="0.25"/>` : '';
  return (
    `<svg width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">` +
    `<rect width="${w}" height="${h}" fill="#fff"/>${area}<path d="${d}" fill="none" stroke="${opts.color}" stroke-width="1.2"/>` +
    `<text x="2" y="16" font-size="11">${esc(opts.label(y1))}</text><text x="2" y="${h - 20}" font-size="11">${esc(opts.label(y0))}</text>` +
    `<text x="${pad}" y="${h - 4}" font-size="11">${iso(x0).slice(0, 10)}</text><text x="${w - 90}" y="${h - 4}" font-size="11">${iso(x1).slice(0, 10)}</text></svg>`
  );
}

export const METRIC_ROWS: [keyof Metrics, string, (x: number) => string][] = [
  ['finalEquity', 'final equity', n2],
  ['totalReturn', 'total return', pct],
  ['annualizedReturn', 'annualised return', pct],
  ['buyAndHoldReturn', 'buy & hold return', pct],
  ['volatility', 'volatility (annual)', pct],
  ['sharpe', 'Sharpe', n2],
  ['sortino', 'Sortino', n2],
  ['calmar', 'Calmar', n2],
  ['maxDrawdown', 'max drawdown', pct],
  ['maxDrawdownDurationMs', 'max drawdown duration (days)', (x) => (x / 86_400_000).toFixed(1)],
  ['winRate', 'win rate', pct],
  ['profitFactor', 'profit factor', n2],
  ['expectancy', 'expectancy per trade', n2],
  ['exposure', 'exposure', pct],
  ['tradeCount', 'trades', (x) => String(x)],
  ['feesPaid', 'fees paid', n2],
];

const YEAR_MS = 365.25 * 86_400_000;

/**
 * How far the result's Sharpe ratio can be trusted: the annualised Sharpe with a 95 % stationary
 * block-bootstrap interval and the Probabilistic Sharpe Ratio against 0 (one trial: a single run
 * is not deflated; `ffe optimize --report` deflates by the trials of a search). Periods a year are
 * the run's own bars over its span, so stock sessions and 24/7 markets both annualise right.
 */
export function confidenceRows(r: Pick<BacktestResult, 'equity' | 'times' | 'start' | 'end' | 'settings'>): [string, string][] {
  const returns = equityReturns(r.equity, r.settings.initialBalance);
  if (returns.length < 10 || !(r.end > r.start)) return [['Sharpe confidence', 'too few bars']];
  const ppy = returns.length / ((r.end - r.start) / YEAR_MS);
  const ci = sharpeCi(returns, ppy);
  const shape = shapeOf(sliceMoments(returns, 1));
  const psr = probabilisticSharpe(shape.sharpe, 0, shape.n, shape.skew, shape.kurtosis);
  return [
    ['Sharpe (annualised, from per-bar equity)', `${n2(ci.estimate)} [95% block-bootstrap CI ${n2(ci.lower)}, ${n2(ci.upper)}]`],
    ['probabilistic Sharpe ratio P(true Sharpe > 0)', Number.isFinite(psr) ? psr.toFixed(3) : '–'],
  ];
}

const page = (title: string, body: string) => `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}th{background:#f4f4f4}.w{color:#070}.l{color:#a00}h1{font-size:20px}</style></head><body>
${body}
</body></html>
`;

const table = (rows: [string, string][]) => `<table><tbody>${rows.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`).join('')}</tbody></table>`;

/** What an optimisation or walk-forward report shows: its overfitting statistics, the verdict, and a results table. */
export interface SearchReport {
  title: string;
  /** Label, value: DSR, PBO, out-of-sample Sharpe interval… as the CLI prints them. */
  statistics: [string, string][];
  verdict: OverfittingVerdict;
  table: { head: string[]; rows: string[][] };
  notes?: string[];
}

/** A self-contained page for `ffe optimize --report` / `ffe walk-forward --report`. */
export function renderSearchReport(r: SearchReport): string {
  const cls = r.verdict.overfit ? 'l' : 'w';
  const head = `<tr>${r.table.head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`;
  const rows = r.table.rows.map((row) => `<tr>${row.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('');
  const notes = (r.notes ?? []).map((x) => `<li>${esc(x)}</li>`).join('');
  return page(
    r.title,
    `<h1>${esc(r.title)}</h1>
<h2>Overfitting</h2>${table(r.statistics)}
<p class="${cls}"><b>verdict: ${esc(r.verdict.severity)}</b> — ${esc(r.verdict.text)}</p>
${notes ? `<ul>${notes}</ul>` : ''}
<h2>Results</h2><table><thead>${head}</thead><tbody>${rows}</tbody></table>`,
  );
}

/** A self-contained page (inline SVG, no scripts, no network): metrics, confidence, equity, drawdown, trades. */
export function renderHtmlReport(r: BacktestResult): string {
  const eq = downsample(r.times, r.equity);
  let peak = -Infinity;
  const dd = Float64Array.from(r.equity, (e) => {
    peak = Math.max(peak, e);
    return -(peak - e) / peak;
  });
  const ddPoints = downsample(r.times, dd);
  const m = r.metrics;
  const rows = METRIC_ROWS.map(([k, label, f]) => `<tr><td>${label}</td><td>${f(m[k])}</td></tr>`).join('');
  const trades = r.trades
    .slice(0, 5000)
    .map(
      (t) =>
        `<tr><td>${t.pair}</td><td>${t.side}</td><td>${iso(t.entryTime)}</td><td>${n2(t.entryPrice)}</td><td>${iso(t.exitTime)}</td><td>${n2(t.exitPrice)}</td><td>${t.units.toPrecision(6)}</td><td class="${t.pnl >= 0 ? 'w' : 'l'}">${n2(t.pnl)}</td><td>${n2(t.fees)}</td><td>${t.exitReason}</td></tr>`,
    )
    .join('');
  const notes = r.notes.map((x) => `<li>${esc(x)}</li>`).join('');
  return page(
    `Backtest ${r.pairs.join(',')} ${r.source}`,
    `<h1>Backtest: ${esc(r.pairs.join(', '))} — ${esc(r.source)} — ${r.timeframe}</h1>
<p>${iso(r.start)} → ${iso(r.end)}; initial ${n2(r.settings.initialBalance)}; fee ${pct(r.settings.feeRate)}, slippage ${pct(r.settings.slippageRate)} + volume impact ${r.settings.volumeImpact}; stop ${pct(r.settings.stopLoss)}, target ${pct(r.settings.takeProfit)}; fills at ${r.settings.fill}; ${r.engine === 'execution' ? 'orders through the live ExecutionService to the simulated venue' : r.engine === 'vectorised' ? 'vectorised (one pass over the columns)' : 'in-memory book'}; ${r.rejections.length} entries refused by the risk gate.</p>
${notes ? `<ul>${notes}</ul>` : ''}
<table><tbody>${rows}</tbody></table>
<h2>Confidence</h2>${table(confidenceRows(r))}
<h2>Equity</h2>${svgLine(eq, { width: 960, height: 260, color: '#1565c0', label: n2 })}
<h2>Drawdown</h2>${svgLine(ddPoints, { width: 960, height: 160, color: '#c62828', fill: true, label: pct })}
<h2>Trades (${r.trades.length}${r.trades.length > 5000 ? ', first 5000 shown' : ''})</h2>
<table><thead><tr><th>pair</th><th>side</th><th>entry</th><th>price</th><th>exit</th><th>price</th><th>units</th><th>P&amp;L</th><th>fees</th><th>exit</th></tr></thead><tbody>${trades}</tbody></table>`,
  );
}
