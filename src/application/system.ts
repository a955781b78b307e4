import { readFileSync } from 'node:fs';
import { RUN_KEY, type RunState } from '../agent/settings.js';
import { configLeaves } from '../config/introspect.js';
import { loadConfig, redactConfig, secretValues } from '../config/load.js';
import { configSchema } from '../config/schema.js';
import { exampleYaml } from '../config/example.js';
import { referenceMarkdown } from '../config/reference.js';
import { inputError } from '../core/errors.js';
import { classifyPair } from '../core/pair.js';
import { parseTimeframe } from '../core/timeframe.js';
import { parseCandleCsv } from '../data/csv-format.js';
import { killSwitchHaltReason } from '../agent/kill-switch.js';
import { killSwitchState } from './kill-switch.js';
import type { Runtime } from './runtime.js';
import { serviceUseCases } from './service.js';

/** Why trading is halted right now (empty: it is not): a tripped kill switch, a halted agent, a journal that does not match the venue. */
async function halts(rt: Runtime) {
  const { app } = rt;
  const out: { source: 'kill_switch' | 'agent' | 'reconciliation'; reason: string }[] = [];
  const ks = await killSwitchState(app.feedback.agentState);
  if (ks.tripped) out.push({ source: 'kill_switch', reason: killSwitchHaltReason(ks) });
  const run = await app.feedback.agentState.get<RunState>(RUN_KEY);
  if (run?.status === 'halted' && !(ks.tripped && run.haltReason?.startsWith('kill switch'))) out.push({ source: 'agent', reason: `agent run ${run.runId} halted: ${run.haltReason}` });
  // The paper account is local, so it is checked on every status; a live account is checked by `ffe reconcile --live` (no venue call here).
  let reconciliation: { account: string; ok: boolean | null; note: string };
  if (app.config.trading.mode === 'paper') {
    try {
      const report = await app.execution.reconcile('paper');
      reconciliation = { account: 'paper', ok: report.ok, note: report.ok ? 'journal matches the venue' : 'journal does not match the venue: `ffe reconcile`' };
      if (!report.ok)
        out.push({
          source: 'reconciliation',
          reason: `the paper journal does not match the venue (${report.pending.length} pending, ${report.positions.filter((p) => !p.match).length} positions differ); see \`ffe reconcile\``,
        });
    } catch (e) {
      reconciliation = { account: 'paper', ok: null, note: `could not be checked: ${(e as Error).message}` };
    }
  } else reconciliation = { account: 'live', ok: null, note: 'not checked here; `ffe reconcile --live`' };
  return { halted: out.length > 0, reasons: out, reconciliation };
}

/** Engine status, market data, the configuration: use cases that need no trading. */
export const systemUseCases = (rt: Runtime) => {
  const { app } = rt;
  return {
    ...serviceUseCases(rt),
    async status() {
      const recent = await app.store.decisions.list({ limit: 1 });
      const series = await app.marketData.list();
      return {
        trading: await halts(rt),
        environment: app.config.environment,
        tradingMode: app.config.trading.mode,
        home: { dir: app.home.dir, from: app.home.from },
        sandbox: rt.sandbox,
        configSources: app.configSources,
        store: { engine: app.store.engine, location: app.store.location, lastDecision: recent[0] ? { id: recent[0].id, pair: recent[0].assetPair, action: recent[0].action, createdAt: recent[0].createdAt } : null },
        data: { source: app.config.data.source, pairs: [...new Set(series.map((s) => s.pair))] },
        providers: [...app.providers.values()].map((p) => ({ name: p.name, kind: p.kind, model: p.model })),
        defaultProvider: app.config.decision_engine.ai_provider,
        // Every breaker stored, those this process has not used included (a live venue opened by another command).
        breakers: await app.breakers.list(),
      };
    },

    /**
     * Stores a CSV of candles (all rows or none); the file was parsed and checked by `readCandleFile`
     * first. A bar after the runtime clock's now is a typo (the clock, not the machine's: tests and
     * replays run on their own).
     */
    async importCandles(file: ReturnType<typeof readCandleFile>) {
      const { pair, timeframe, candles, name, lines } = file;
      const now = app.clock.now();
      const k = candles.findIndex((c) => c.timestamp > now);
      if (k >= 0) {
        throw inputError('CSV_ROW', `${name}: line ${lines[k]}: timestamp ${new Date(candles[k].timestamp).toISOString()} is after now (${new Date(now).toISOString()}); check the date`, { line: lines[k] });
      }
      const { inserted } = await app.store.candles.importSeries(pair, timeframe, candles, name);
      return { pair, timeframe, rows: inserted, first: candles[0].timestamp, last: candles[candles.length - 1].timestamp };
    },

    listData: () => app.marketData.list(),
  };
};

/** Reads and validates a candle CSV before any store is opened: a bad row imports nothing. */
export function readCandleFile(path: string, pairArg: string, tfArg: string) {
  const pair = classifyPair(pairArg).symbol;
  const timeframe = parseTimeframe(tfArg);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw inputError('FILE_UNREADABLE', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  // Each data row is one candle (any bad row throws), so the rows' line numbers follow the candles.
  const lines = text.split(/\r?\n/).flatMap((l, i) => (i > 0 && l.trim() !== '' ? [i + 1] : []));
  return { pair, timeframe, candles: parseCandleCsv(text, { name: path, timeframe }), lines, name: path };
}

/** The configuration use cases need no runtime: they read the files and the environment. */
export const configUseCases = {
  show(file?: string) {
    const { config, sources, origins } = loadConfig({ file });
    return { config: redactConfig(config), sources, origins };
  },
  /** Every secret the configuration sets, for printers to scrub (the config commands open no runtime). */
  secrets(file?: string): string[] {
    return secretValues(loadConfig({ file }).config);
  },
  validate(file?: string) {
    return { valid: true as const, sources: loadConfig({ file }).sources };
  },
  docs() {
    return configLeaves(configSchema).map((l) => ({
      key: l.path.join('.'),
      type: l.kind === 'enum' ? l.enumValues!.join(' | ') : l.kind,
      default: l.meta.secret ? '' : l.defaultValue,
      env: l.envNames.join(', '),
      secret: !!l.meta.secret,
      description: l.meta.description ?? '',
    }));
  },
  exampleYaml,
  referenceMarkdown,
  defaultProvider: () => configSchema.parse({}).decision_engine.ai_provider,
};
