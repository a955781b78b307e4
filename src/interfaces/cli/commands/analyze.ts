import type { Command } from 'commander';
import type { Decision } from '../../../core/decision.js';
import { num, pct, providerHealthLines, table, iso } from '../format.js';
import { configApi, print, printJson, withApi } from '../run.js';

const defaultProvider = configApi.defaultProvider();

export function pulseTable(d: Decision): string {
  return table(
    ['tf', 'status', 'trend', 'str', 'RSI', 'MACD hist', '%B', 'ADX', 'ATR %', 'last bar'],
    d.pulse.timeframes.map((f) => {
      const i = f.indicators;
      return [
        f.timeframe,
        f.status === 'ok' ? 'ok' : `${f.status}`,
        f.trend ?? '-',
        f.strength ?? '-',
        i ? num(i.rsi, 1) : '-',
        i ? num(i.macd.histogram) : '-',
        i ? num(i.bollinger.percentB, 2) : '-',
        i ? num(i.adx.adx, 1) : '-',
        i ? pct(i.atrFraction) : '-',
        f.status === 'unavailable' ? f.note.slice(0, 40) : iso(f.lastBarTime),
      ];
    }),
  );
}

export function decisionText(d: Decision, showPulse: boolean): string {
  const lines = [
    ...providerHealthLines(d.metadata),
    `${d.assetPair} ${d.action} (confidence ${d.confidence}%) — provider ${d.provider}${d.model ? ` (${d.model})` : ''}`,
    `decision ${d.id} at ${d.timestamp}${d.market.offlineSample ? ` — ${d.market.offlineSample}` : ''}`,
    `price ${num(d.entryPrice)}; regime ${d.regime.regime}; confluence ${d.pulse.confluence.direction} (strength ${d.pulse.confluence.strength}); signal strength ${d.pulse.signalStrength}`,
  ];
  if (d.action !== 'HOLD') {
    lines.push(
      `size ${num(d.suggestedSizeUnits, 6)} units (${num(d.suggestedSizeQuote, 2)} quote) risking ${pct(d.riskFraction)}; stop ${num(d.stopLossPrice)} (${pct(d.stopLossFraction)}), take profit ${num(d.takeProfitPrice)} (${pct(d.takeProfitFraction)})`,
    );
  }
  if (d.gates.length) lines.push(`gates: ${d.gates.join('; ')}`);
  if (d.freshness.warning) lines.push(d.freshness.warning);
  lines.push(`reasoning: ${d.reasoning}`);
  if (showPulse) lines.push('', pulseTable(d), d.pulse.description);
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
