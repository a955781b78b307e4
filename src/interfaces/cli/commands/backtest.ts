import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { BacktestRequest, BacktestResult, BacktestSettings } from '../../../application/types.js';
import { METRIC_ROWS, parseDate, parseParamFlags, renderHtmlReport, RISK_PARAMS, strategyParams } from '../../../application/vocabulary.js';
import { inputError } from '../../../core/errors.js';
import { parseTimeframe } from '../../../core/timeframe.js';
import { count, money, ratio, table } from '../format.js';
import { checkOutputPath } from '../output-path.js';
import { print, scrub, withApi } from '../run.js';
import { cancelOnSigint, CANCEL_HELP } from '../cancel.js';

export interface RunFlags {
  start: string;
  end: string;
  timeframe?: string;
  initialBalance?: string;
  feePercentage?: string;
  slippagePercentage?: string;
  stopLoss?: string;
  takeProfit?: string;
  fill?: string;
  provider?: string;
  strategy?: string;
  param: string[];
  risk: boolean;
  postCutoffOnly?: boolean;
  cassette?: string;
  json?: boolean;
}

const collect = (v: string, prev: string[]) => [...prev, v];

/** The options every backtest-based command shares (walk-forward, Monte Carlo, optimisation). */
export function addRunOptions(cmd: Command): Command {
  return cmd
    .argument('<pairs>', 'pair or comma-separated pairs, e.g. BTCUSD or BTCUSD,ETHUSD')
    .requiredOption('--start <date>', 'first day (YYYY-MM-DD or ISO time, UTC)')
    .requiredOption('--end <date>', 'end (exclusive), same format')
    .option('--timeframe <tf>', 'base timeframe (default: backtest.timeframe)')
    .option('--initial-balance <n>', 'starting cash')
    .option('--fee-percentage <f>', 'fee per fill as a fraction (0.001 = 0.1 %)')
    .option('--slippage-percentage <f>', 'fixed slippage per fill as a fraction')
    .option('--stop-loss <f>', 'stop-loss distance as a fraction of the signal bar close (backtest.stop_anchor entry: of the entry fill)')
    .option('--take-profit <f>', 'take-profit distance as a fraction of the signal bar close (backtest.stop_anchor entry: of the entry fill)')
    .option('--fill <model>', 'next_open (default) or close')
    .option('--provider <name>', 'decision provider: rules, a configured LLM (replayed from the cassette in strict mode) or ensemble')
    .option('--strategy <name>', 'reference strategy instead of a provider: sma-cross, rsi-reversion')
    .option('--param <k=v>', "parameter, repeatable: a strategy's own (e.g. --param fast=10 --param slow=30) or, for any source, stop_loss, take_profit or risk_fraction", collect, [])
    .option('--no-risk', 'run with every risk gatekeeper check switched off (as risk.checks.* = false)')
    .option('--post-cutoff-only', "restrict metrics to bars after the provider model's training cutoff")
    .option('--cassette <mode>', 'LLM answers: strict (default; replay only, a miss is a failure), replay, or record (live calls, stored for later replays)')
    .option('--json', 'print JSON (numbers at full precision)')
    .addHelpText('after', CANCEL_HELP);
}

function num(v: string | undefined, flag: string, min = 0, max = Infinity): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!Number.isFinite(x) || x < min || x > max) throw inputError('FLAG_INVALID', `${flag} "${v}" must be a number in [${min}, ${max}]`);
  return x;
}

export function requestFromFlags(pairsArg: string, o: RunFlags): BacktestRequest {
  const settings: Partial<BacktestSettings> = {};
  const set = <K extends keyof BacktestSettings>(k: K, v: BacktestSettings[K] | undefined) => {
    if (v !== undefined) settings[k] = v;
  };
  set('initialBalance', num(o.initialBalance, '--initial-balance', 1e-9));
  set('feeRate', num(o.feePercentage, '--fee-percentage', 0, 1));
  set('slippageRate', num(o.slippagePercentage, '--slippage-percentage', 0, 1));
  set('stopLoss', num(o.stopLoss, '--stop-loss', 1e-6, 1));
  set('takeProfit', num(o.takeProfit, '--take-profit', 1e-6, 10));
  if (o.fill !== undefined) {
    if (o.fill !== 'next_open' && o.fill !== 'close') throw inputError('FLAG_INVALID', `--fill must be next_open or close, got "${o.fill}"`);
    settings.fill = o.fill;
  }
  // Risk parameters (stop_loss, take_profit, risk_fraction) set the run's settings for any source,
  // so a line `optimize` prints as best can be pasted back; the rest are the strategy's own.
  const params = parseParamFlags(o.param);
  for (const r of RISK_PARAMS) {
    const v = params[r.name];
    if (v === undefined) continue;
    if (!(v >= r.min && v <= r.max)) throw inputError('PARAM_INVALID', `--param ${r.name}=${v} is outside [${r.min}, ${r.max}]: ${r.description}`);
    if (settings[r.setting] !== undefined) throw inputError('FLAG_INVALID', `${r.reuse} and --param ${r.name} both set the ${r.description}; give one`);
    settings[r.setting] = v;
  }
  const own = strategyParams(params);
  if (Object.keys(own).length && !o.strategy) {
    throw inputError('FLAG_INVALID', `--param ${Object.keys(own).join(', ')} applies to --strategy; with a provider only the risk parameters apply (${RISK_PARAMS.map((r) => r.name).join(', ')})`);
  }
  if (o.cassette !== undefined && !['strict', 'replay', 'record'].includes(o.cassette)) throw inputError('FLAG_INVALID', `--cassette must be strict, replay or record, got "${o.cassette}"`);
  return {
    pairs: pairsArg
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    start: parseDate(o.start, '--start'),
    end: parseDate(o.end, '--end'),
    timeframe: o.timeframe ? parseTimeframe(o.timeframe) : undefined,
    provider: o.provider,
    strategy: o.strategy,
    params: own,
    settings,
    risk: o.risk,
    postCutoffOnly: o.postCutoffOnly,
    cassette: o.cassette as BacktestRequest['cassette'],
  };
}

/** A progress bar on a terminal's stderr; nothing when piped. */
export function progressBar(label: string): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (done, total) => {
    const f = total ? done / total : 1;
    const w = 30;
    process.stderr.write(`\r${label} [${'#'.repeat(Math.round(f * w)).padEnd(w, '.')}] ${(f * 100).toFixed(0)}%${done >= total ? '\n' : ''}`);
  };
}

/** Money, counts and ratios as the CLI shows them; the rest (percentages, days) as the report does. */
const METRIC_FORMAT: Partial<Record<keyof BacktestResult['metrics'], (x: number) => string>> = {
  finalEquity: money,
  expectancy: money,
  feesPaid: money,
  tradeCount: count,
  sharpe: ratio,
  sortino: ratio,
  calmar: ratio,
  profitFactor: (x) => (x === Infinity ? 'no losses' : ratio(x)),
};

export function summaryTable(r: BacktestResult): string {
  return table(
    ['metric', 'value'],
    METRIC_ROWS.map(([k, label, f]) => [label, (METRIC_FORMAT[k] ?? f)(r.metrics[k])]),
  );
}

/** The JSON form: everything but the raw fill list, with the equity curve as [time, equity] pairs. */
export function resultJson(r: BacktestResult) {
  return { ...resultHead(r), equity: Array.from(r.times, (t, i) => [t, r.equity[i]]) };
}

/** `resultJson` but the curve. */
function resultHead(r: BacktestResult) {
  return {
    pairs: r.pairs,
    timeframe: r.timeframe,
    start: new Date(r.start).toISOString(),
    end: new Date(r.end).toISOString(),
    source: r.source,
    engine: r.engine,
    settings: r.settings,
    metrics: r.metrics,
    notes: r.notes,
    rejections: r.rejections.length,
    rejectionSample: r.rejections.slice(0, 20),
    trades: r.trades,
  };
}

/**
 * Prints `resultJson(r)` as printJson would, byte for byte, with the trades and the curve written
 * a chunk at a time: a 1 M-bar run's curve as [time, equity] arrays, one pretty-printed string of
 * it (and of its 28,817 trades) and the scrubbed copies peaked at 684 MB RSS. The curve is
 * numbers only; everything else is scrubbed, a whole trade at a time.
 */
export async function printResultJson(r: BacktestResult, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const head = JSON.stringify({ ...resultHead(r), trades: [], equity: [] }, null, 2);
  // The text ends `"trades": [],\n  "equity": []\n}`: the items go between the brackets, indented as JSON.stringify indents them.
  await write(out, scrub(head.slice(0, head.lastIndexOf('"trades": [],') + '"trades": '.length)));
  await writeArray(out, r.trades.length, 1_000, (k) => scrub(JSON.stringify(r.trades[k], null, 2).replace(/\n/g, '\n    ')));
  await write(out, ',\n  "equity": ');
  const num = (x: number) => JSON.stringify(x);
  await writeArray(out, r.times.length, 10_000, (k) => `[\n      ${num(r.times[k])},\n      ${num(r.equity[k])}\n    ]`);
  await write(out, '\n}\n');
}

/** A top-level key's array of `n` items as JSON.stringify(…, null, 2) lays it out, `chunk` items a write; `item`: one item's text, its inner lines already indented. */
async function writeArray(out: NodeJS.WritableStream, n: number, chunk: number, item: (k: number) => string): Promise<void> {
  if (n === 0) return write(out, '[]');
  await write(out, '[\n');
  for (let i = 0; i < n; i += chunk) {
    const to = Math.min(n, i + chunk);
    const items: string[] = [];
    for (let k = i; k < to; k++) items.push(`    ${item(k)}`);
    await write(out, `${items.join(',\n')}${to < n ? ',\n' : '\n  ]'}`);
  }
}

/** Writes `text`, waiting while the stream's buffer is full (a pipe to a slow reader would otherwise hold the whole output). */
async function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

const ENGINE_LABEL = { execution: 'live order path: ExecutionService → simulated venue', fast: 'in-memory book', vectorised: 'vectorised: one pass over the columns' } as const;

export function registerBacktest(program: Command): void {
  addRunOptions(program.command('backtest').description('backtest a provider or a reference strategy on historical bars through the live pipeline'))
    .option('--output <file>', 'write a self-contained HTML report (equity, drawdown, trades)')
    .option('--engine <name>', 'for a provider: execution (default; every decision goes through the live ExecutionService, risk gate and order journal to the simulated venue) or fast (in-memory book, same fill rules)')
    .action(async (pairs: string, o: RunFlags & { output?: string; engine?: string }, cmd: Command) => {
      const req = requestFromFlags(pairs, o);
      if (o.engine !== undefined && o.engine !== 'execution' && o.engine !== 'fast') throw inputError('FLAG_INVALID', `--engine must be execution or fast, got "${o.engine}"`);
      req.engine = o.engine;
      if (o.output) checkOutputPath(o.output);
      await withApi(cmd, async (api) => {
        const r = await cancelOnSigint((signal) => api.backtests.backtest(req, { onProgress: progressBar('backtest'), signal }));
        if (o.output) writeFileSync(o.output, renderHtmlReport(r));
        if (o.json) return printResultJson(r);
        print(`${r.pairs.join(', ')} ${r.timeframe} ${new Date(r.start).toISOString()} → ${new Date(r.end).toISOString()} — ${r.source} (${ENGINE_LABEL[r.engine]})`);
        for (const n of r.notes) print(n);
        print(summaryTable(r));
        if (r.rejections.length) print(`${r.rejections.length} entries refused by the risk gate (first: ${r.rejections[0].reason})`);
        if (o.output) print(`report written to ${o.output}`);
      });
    });
}
