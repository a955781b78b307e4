import { describe, expect, it } from 'vitest';
import { runBacktest } from './engine.js';
import { overfittingVerdict } from './overfitting.js';
import { confidenceRows, renderHtmlReport, renderSearchReport } from './report-html.js';
import { STRATEGIES } from './strategies/index.js';
import { randomWalk, singlePair } from './synthetic.js';
import { DEFAULT_SETTINGS } from './types.js';

describe('HTML reports', () => {
  it('a backtest report carries the Sharpe interval and the probabilistic Sharpe ratio of its own equity', async () => {
    const data = singlePair(randomWalk(3000, { seed: 5, vol: 0.004, price: 30_000 }));
    const r = await runBacktest(data, STRATEGIES['sma-cross'].create({ fast: 7, slow: 25 }, data), DEFAULT_SETTINGS);
    const rows = confidenceRows(r);
    const interval = rows[0][1].match(/^(-?[\d.]+) \[95% block-bootstrap CI (-?[\d.]+), (-?[\d.]+)\]$/);
    expect(interval).not.toBeNull();
    const [est, lo, hi] = interval!.slice(1).map(Number);
    expect(lo).toBeLessThanOrEqual(est);
    expect(hi).toBeGreaterThanOrEqual(est);
    expect(hi - lo).toBeGreaterThan(0);
    const psr = Number(rows[1][1]);
    expect(psr).toBeGreaterThanOrEqual(0);
    expect(psr).toBeLessThanOrEqual(1);
    // The sign of the Sharpe decides which side of one half the PSR against 0 is on.
    expect(psr > 0.5).toBe(est > 0);
    const html = renderHtmlReport(r);
    expect(html).toContain('<h2>Confidence</h2>');
    expect(html).toContain('probabilistic Sharpe ratio');
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\//);
  });

  it('too short a run says so instead of a figure', () => {
    const rows = confidenceRows({ equity: new Float64Array([1, 2, 3]), times: new Float64Array([1, 2, 3]), start: 0, end: 3, settings: DEFAULT_SETTINGS });
    expect(rows).toEqual([['Sharpe confidence', 'too few bars']]);
  });

  it('a search report shows the statistics, the graded verdict and the table, escaped', () => {
    const verdict = overfittingVerdict({ dsr: { dsr: 0.2, trials: 85 }, pbo: { pbo: 0.6, combinations: 12_870 } });
    const html = renderSearchReport({
      title: 'sma-cross <optimisation>',
      statistics: [
        ['deflated Sharpe ratio', '0.200'],
        ['probability of backtest overfitting', '0.600'],
      ],
      verdict,
      table: { head: ['#', 'fast'], rows: [['1', '92']] },
    });
    expect(verdict.severity).toBe('HIGH');
    expect(html).toContain('sma-cross &lt;optimisation&gt;');
    expect(html).toContain('<b>verdict: HIGH</b>');
    expect(html).toContain('<td>deflated Sharpe ratio</td><td>0.200</td>');
    expect(html).toContain('<th>fast</th>');
    expect(html).toContain('<td>92</td>');
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\//);
  });
});
