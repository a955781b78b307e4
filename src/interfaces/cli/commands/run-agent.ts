import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { agentSettings, buildAgentRuntime } from '../../../app/agent-setup.js';
import type { AgentEvent } from '../../../agent/port.js';
import { ReplayClock } from '../../../agent/replay-clock.js';
import { RUN_KEY, type AgentSettings, type RunState } from '../../../agent/settings.js';
import { inputError } from '../../../core/errors.js';
import { standardizeAssetPair } from '../../../core/pair.js';
import { iso, num, pct } from '../format.js';
import { print, printJson, withApp } from '../run.js';
import { metricsSummary } from './monitor.js';

interface RunAgentOptions {
  assets?: string;
  provider?: string;
  takeProfit?: number;
  stopLoss?: number;
  maxDailyTrades?: number;
  interval?: number;
  autonomous?: boolean;
  approval?: 'autonomous' | 'manual';
  dryRun?: boolean;
  replay?: boolean;
  from?: string;
  to?: string;
  speed: string;
  db?: string;
  quiet?: boolean;
  json?: boolean;
}

const fractionArg = (name: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n >= 1) throw new InvalidArgumentError(`${name} is a fraction between 0 and 1 (0.02 = 2 %), got "${v}"`);
  return n;
};
const countArg = (name: string, min: number) => (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw new InvalidArgumentError(`${name} must be a number ≥ ${min} (got "${v}")`);
  return n;
};
const dateArg = (name: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const t = Date.parse(/T/.test(v) ? v : `${v}T00:00:00Z`);
  if (Number.isNaN(t)) throw inputError('DATE_INVALID', `${name} must be a date like 2024-01-01 (got "${v}")`);
  return t;
};

function overrides(o: RunAgentOptions): Partial<AgentSettings> {
  if (o.autonomous && o.approval === 'manual') throw inputError('AGENT_OPTIONS', '--autonomous and --approval manual contradict each other; choose one');
  const out: Partial<AgentSettings> = {};
  if (o.assets) out.assets = o.assets.split(',').map((a) => standardizeAssetPair(a));
  if (o.provider) out.provider = o.provider;
  if (o.takeProfit !== undefined) out.takeProfit = o.takeProfit;
  if (o.stopLoss !== undefined) out.stopLoss = o.stopLoss;
  if (o.maxDailyTrades !== undefined) out.maxDailyTrades = o.maxDailyTrades;
  if (o.interval !== undefined) out.intervalMs = o.interval * 1000;
  else if (o.replay) out.intervalMs = 3_600_000;
  if (o.autonomous) out.approval = 'autonomous';
  if (o.approval) out.approval = o.approval;
  if (o.dryRun) out.dryRun = true;
  return out;
}

export function registerRunAgent(program: Command): void {
  program
    .command('run-agent')
    .description('run the autonomous trading agent (OODA loop: learn, perceive, reason, risk-check, execute) live or over replayed history')
    .option('--assets <pairs>', 'comma-separated pairs, e.g. BTCUSD,ETHUSD (default: agent.assets)')
    .option('--provider <name>', 'decision provider, e.g. ensemble (default: agent.provider or decision_engine.ai_provider)')
    .option('--take-profit <fraction>', 'take-profit distance (0.05 = 5 %)', fractionArg('--take-profit'))
    .option('--stop-loss <fraction>', 'stop-loss distance (0.02 = 2 %)', fractionArg('--stop-loss'))
    .option('--max-daily-trades <n>', 'new trades per trading day (0: unlimited)', countArg('--max-daily-trades', 0))
    .option('--interval <seconds>', 'time between cycles (replay default 3600)', countArg('--interval', 1))
    .option('--autonomous', 'execute risk-approved decisions without asking')
    .option('--approval <mode>', 'manual: queue decisions for `ffe approve <id>` (expire after agent.approval_ttl_seconds)')
    .option('--dry-run', 'analyse and risk-check only; never execute or queue')
    .option('--replay', 'run in accelerated time over the stored/bundled history, on paper')
    .option('--from <date>', 'replay start (UTC date or ISO time)', '2024-01-01')
    .option('--to <date>', 'replay end (default: the end of the data)')
    .option('--speed <x>', 'replay speed: max, or a multiple of real time', 'max')
    .option('--db <file>', 'use this SQLite file instead of persistence.sqlite_path (keeps replays apart from your paper account)')
    .option('--quiet', 'print only the summary')
    .option('--json', 'print the summary as JSON')
    .action(async (o: RunAgentOptions, cmd: Command) => {
      if (o.approval && o.approval !== 'manual' && o.approval !== 'autonomous') throw inputError('AGENT_OPTIONS', `--approval must be manual or autonomous (got "${o.approval}")`);
      const speed = o.speed === 'max' ? 'max' : Number(o.speed);
      if (speed !== 'max' && !(speed > 0)) throw inputError('AGENT_OPTIONS', `--speed must be max or a positive number (got "${o.speed}")`);
      const from = dateArg('--from', o.from)!;
      const to = dateArg('--to', o.to);
      const env = o.db ? { ...process.env, PERSISTENCE_SQLITE_PATH: o.db } : undefined;
      // The end of the data is only known once the app is up: it is set before the first cycle.
      const clock = o.replay ? new ReplayClock(from, to ?? Number.MAX_SAFE_INTEGER, speed) : undefined;
      await withApp(
        cmd,
        async (app) => {
          if (clock && app.config.trading.mode !== 'paper') throw inputError('AGENT_REPLAY_LIVE', 'replays trade on paper only; set trading.mode: paper');
          const settings = agentSettings(app.config, overrides(o));
          if (clock && to === undefined) {
            const ends = await Promise.all(settings.assets.map(async (a) => (await app.marketData.sampleInfo(a))?.asOf ?? Date.now()));
            clock.end = Math.min(...ends);
          }
          let feedFrom: number | undefined;
          if (clock) {
            // A replay killed mid-run resumes after its last completed cycle: the interrupted one is never re-decided.
            const prev = await app.feedback.agentState.get<RunState>(RUN_KEY);
            if (prev?.status === 'running' && prev.lastCompletedAt !== null && prev.lastCompletedAt >= from) {
              feedFrom = prev.lastCompletedAt;
              clock.set(prev.lastCompletedAt + settings.intervalMs);
            }
          }
          const json = o.json === true;
          const onEvent = (e: AgentEvent) => {
            if (!o.quiet && !json && e.kind !== 'transition') print(`${iso(e.at)} [${e.state}] ${e.kind}: ${e.message}`);
          };
          return runWith(app, settings, clock, onEvent, json, feedFrom);
        },
        { env, clock },
      );
    });
}

async function runWith(app: Parameters<Parameters<typeof withApp>[1]>[0], settings: AgentSettings, replay: ReplayClock | undefined, onEvent: (e: AgentEvent) => void, json: boolean, feedFrom?: number): Promise<void> {
  const t0 = performance.now();
  const rt = buildAgentRuntime(app, { settings, replay: replay ? { finished: () => replay.done, feedFrom } : undefined, onEvent });
  const monitorStop = new AbortController();
  const onSignal = (sig: string) => () => {
    if (rt.agent.status.status !== 'running') return;
    // First signal: finish the current step and stop. Second: emergency stop.
    if (stopRequests++ === 0) rt.agent.stop(`${sig} received`);
    else void rt.agent.emergencyStop(`second ${sig}`, settings.closeOnEmergencyStop);
  };
  let stopRequests = 0;
  const handlers = { SIGINT: onSignal('SIGINT'), SIGTERM: onSignal('SIGTERM') };
  process.on('SIGINT', handlers.SIGINT);
  process.on('SIGTERM', handlers.SIGTERM);
  const monitorRun = replay ? Promise.resolve() : rt.monitorLoop(monitorStop.signal);
  try {
    const final = await rt.agent.start();
    monitorStop.abort();
    await monitorRun;
    const metrics = await app.feedback.monitorRepo.metrics();
    const closed = metricsSummary(metrics);
    const weights = await app.feedback.memory.weights();
    const summary = {
      run: final,
      wallSeconds: (performance.now() - t0) / 1000,
      closedTrades: closed.trades,
      winRate: closed.winRate,
      pnl: closed.pnl,
      weights,
      weightChanges: (await app.feedback.memoryRepo.weightChanges()).length,
      openPositions: (await app.feedback.monitorRepo.trackers()).length,
    };
    if (json) return printJson(summary);
    print(
      [
        `agent ${final.status}${final.haltReason ? ` (${final.haltReason})` : ''} after ${final.cycle} cycles in ${summary.wallSeconds.toFixed(1)} s`,
        `decisions ${final.counts.decisions} (hold ${final.counts.holds}), executed ${final.counts.executed}, denied ${final.counts.denied}, queued ${final.counts.queued}, failed ${final.counts.failed}`,
        `closed trades ${summary.closedTrades}, win rate ${pct(summary.winRate, 1)}, P&L ${num(summary.pnl, 2)}; open positions ${summary.openPositions}`,
        `ensemble weights: ${Object.entries(weights).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ') || '-'} (${summary.weightChanges} changes; \`ffe memory weights --history\`)`,
      ].join('\n'),
    );
  } finally {
    process.off('SIGINT', handlers.SIGINT);
    process.off('SIGTERM', handlers.SIGTERM);
    monitorStop.abort();
  }
}
