import type { Command } from 'commander';
import type { Decision } from '../../../core/decision.js';
import { quoteCurrency } from '../../../core/precision.js';
import { DASH, fixed, iso, money, pct, price, providerHealthLines, ratio, table, units } from '../format.js';
import { HELP_DEFAULTS } from '../help-defaults.js';
import { print, printJson, withApi } from '../run.js';

const defaultProvider = HELP_DEFAULTS['decision_engine.ai_provider'];

/**
 * The per-timeframe table, kept narrow enough for a terminal: a timeframe's note (why it is
 * unavailable or short of bars) goes below the table in full rather than cut in a column, unless
 * the pulse description printed after it already says it.
 */
export function pulseTable(d: Decision): string {
  const pair = d.assetPair;
  const t = table(
    ['tf', 'status', 'trend', 'str', 'RSI', 'MACD hist', '%B', 'ADX', 'ATR %', 'last bar'],
    d.pulse.timeframes.map((f) => {
      const i = f.indicators;
      return [
        f.timeframe,
        f.status,
        f.trend ?? DASH,
        f.strength ?? DASH,
        i ? fixed(i.rsi, 1) : DASH,
        i ? price(i.macd.histogram, pair) : DASH,
        i ? ratio(i.bollinger.percentB) : DASH,
        i ? fixed(i.adx.adx, 1) : DASH,
        i ? pct(i.atrFraction) : DASH,
        iso(f.lastBarTime),
      ];
    }),
  );
  const notes = d.pulse.timeframes.filter((f) => f.note && !d.pulse.description.includes(f.note)).map((f) => `${f.timeframe} ${f.status}: ${f.note}`);
  return [t, ...notes].join('\n');
}

export function decisionText(d: Decision, showPulse: boolean): string {
  const lines = [
    ...providerHealthLines(d.metadata),
    `${d.assetPair} ${d.action} (confidence ${d.confidence}%) — provider ${d.provider}${d.model ? ` (${d.model})` : ''}`,
    `decision ${d.id} at ${d.timestamp}${d.market.offlineSample ? ` — ${d.market.offlineSample}` : ''}`,
    `price ${price(d.entryPrice, d.assetPair)}; regime ${d.regime.regime}; confluence ${d.pulse.confluence.direction} (strength ${d.pulse.confluence.strength}); signal strength ${d.pulse.signalStrength}`,
  ];
  if (d.action !== 'HOLD') {
    lines.push(
      `size ${units(d.suggestedSizeUnits, d.assetPair)} units (${money(d.suggestedSizeQuote, quoteCurrency(d.assetPair))} ${quoteCurrency(d.assetPair)}) risking ${pct(d.riskFraction)}; stop ${price(d.stopLossPrice, d.assetPair)} (${pct(d.stopLossFraction)}), take profit ${price(d.takeProfitPrice, d.assetPair)} (${pct(d.takeProfitFraction)})`,
    );
  }
  if (d.gates.length) lines.push(`gates: ${d.gates.join('; ')}`);
  if (d.freshness.warning) lines.push(d.freshness.warning);
  lines.push(`reasoning: ${d.reasoning}`);
  if (showPulse) lines.push('', pulseTable(d), d.pulse.description);
  const f = d.pulse.fundamentals;
  // Stocks with stored fundamentals only (docs/fundamentals.md); the full section is in --json.
  if (showPulse && f) {
    const s = f.surprises[0];
    lines.push(
      `fundamentals (newest report ${f.latestReport ?? '-'}): P/E ${ratio(f.valuation.pe)}, revenue YoY ${pct(f.growth.revenueYoY, 1)}, EPS YoY ${pct(f.growth.epsYoY, 1)}${s ? `, last surprise ${s.surprisePercent === null ? '-' : `${ratio(s.surprisePercent)}%`} (${s.reportedDate})` : ''}`,
    );
  }
  lines.push(`stored; see it with \`ffe history --asset ${d.assetPair}\``);
  return lines.join('\n');
}

export function registerAnalyze(program: Command): void {
  program
    .command('analyze')
    .description('analyse a pair on six timeframes and print a decision (stored in the database)')
    .argument('<pair>', 'asset pair, e.g. BTCUSD, eth-usd, "EUR/USD", SPY')
    .option('-p, --provider <name>', `decision provider (default: decision_engine.ai_provider = ${defaultProvider})`)
    .option('--show-pulse', 'print the per-timeframe indicator table and the LLM description')
    .option('--json', 'print the full decision record as JSON (numbers at full precision)')
    .action(async (pair: string, opts: { provider?: string; showPulse?: boolean; json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const { decision: d, engineMs: ms } = await api.trading.analyze(pair, { provider: opts.provider });
        if (opts.json) printJson(d);
        else print(`${decisionText(d, !!opts.showPulse)}\n(engine time ${ms.toFixed(0)} ms)`);
      });
    });
}
