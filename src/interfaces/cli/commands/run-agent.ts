import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { AgentEvent, AgentSettings, AgentSummary, DomainEvent } from '../../../application/types.js';
import { FfeError, inputError } from '../../../core/errors.js';
import { standardizeAssetPair } from '../../../core/pair.js';
import { agentEventLine } from '../agent-log.js';
import { count, iso, minute, money, pct } from '../format.js';
import { progress } from '../progress.js';
import { globals, print, printJson, withApi } from '../run.js';

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

const fractionArg =
  (name: string) =>
  (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0 || n >= 1) throw new InvalidArgumentError(`${name} is a fraction between 0 and 1 (0.02 = 2 %), got "${v}"`);
    return n;
  };
const countArg =
  (name: string, min: number) =>
  (v: string): number => {
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
  if (o.assets !== undefined) {
    // An empty list used to fall back to agent.assets silently and run a full replay of them.
    const list = o.assets.split(',').map((a) => a.trim());
    if (list.every((a) => a === '')) throw inputError('AGENT_OPTIONS', `--assets is empty: give pairs such as BTCUSD,ETHUSD (or leave it out for agent.assets)`);
    if (list.some((a) => a === '')) throw inputError('AGENT_OPTIONS', `--assets "${o.assets}" has an empty entry: give pairs such as BTCUSD,ETHUSD`);
    out.assets = list.map((a) => standardizeAssetPair(a));
  }
  if (o.provider) out.provider = o.provider;
  if (o.maxDailyTrades !== undefined) out.maxDailyTrades = o.maxDailyTrades;
  if (o.interval !== undefined) out.intervalMs = o.interval * 1000;
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
    .option('--take-profit <fraction>', 'take-profit distance (0.05 = 5 %; sets sizing.take_profit for this run)', fractionArg('--take-profit'))
    .option('--stop-loss <fraction>', 'stop-loss distance (0.02 = 2 %; sets sizing.stop_loss with stop_rule fixed for this run)', fractionArg('--stop-loss'))
    .option('--max-daily-trades <n>', 'new trades per trading day (0: unlimited)', countArg('--max-daily-trades', 0))
    .option('--interval <seconds>', 'time between cycles (replay default 3600)', countArg('--interval', 1))
    .option('--autonomous', 'execute risk-approved decisions without asking')
    .option('--approval <mode>', 'manual: queue decisions for `ffe approve <id>` (expire after agent.approval_ttl_seconds)')
    .option('--dry-run', 'analyse and risk-check only; never execute or queue')
    .option('--replay', 'run in accelerated time over the stored/bundled history, in a sandbox of its own (never the paper or live account)')
    .option('--from <date>', 'replay start (UTC date or ISO time); before the data starts, the replay starts where it does', '2024-01-01')
    .option('--to <date>', 'replay end (default: the end of the data)')
    .option('--speed <x>', 'replay speed: max, or a multiple of real time', 'max')
    .option('--db <file>', 'replay in this SQLite file instead of a sandbox under the data home')
    .option('--quiet', 'print only the summary')
    .option('--json', 'print the summary as JSON, numbers at full precision (with -v, every agent event too, with its data)')
    .addHelpText(
      'after',
      '\nReplays run in a sandbox store, <data home>/sandboxes/<name>.db: --sandbox NAME (a global option) names it, and running it again resumes or continues it; without it each replay gets a fresh one. Look at a sandbox with `ffe --sandbox NAME monitor metrics` (or memory, history...).\nA replay prints its progress on stderr (a bar on a terminal, otherwise a line every 10 %) and a summary; -v prints every agent event instead, one line each with its data as JSON. A live agent prints one line per event (-v adds the data).',
    )
    .action(async (o: RunAgentOptions, cmd: Command) => {
      if (o.approval && o.approval !== 'manual' && o.approval !== 'autonomous') throw inputError('AGENT_OPTIONS', `--approval must be manual or autonomous (got "${o.approval}")`);
      const speed = o.speed === 'max' ? 'max' : Number(o.speed);
      if (speed !== 'max' && !(speed > 0)) throw inputError('AGENT_OPTIONS', `--speed must be max or a positive number (got "${o.speed}")`);
      const from = dateArg('--from', o.from)!;
      const to = dateArg('--to', o.to);
      const over = overrides(o);
      // --stop-loss / --take-profit set the one trade policy (config `sizing`) for this run, so the
      // engine's decisions carry them: nothing re-sizes a decision after it.
      const policy: Record<string, string> = {};
      if (o.stopLoss !== undefined) Object.assign(policy, { SIZING_STOP_RULE: 'fixed', SIZING_STOP_LOSS: String(o.stopLoss) });
      if (o.takeProfit !== undefined) policy.SIZING_TAKE_PROFIT = String(o.takeProfit);
      const env = Object.keys(policy).length ? { ...process.env, ...policy } : undefined;
      const json = o.json === true;
      const verbose = globals(cmd).verbose === true;
      // Replays show their progress and the summary; every event only with -v. A live agent logs its events as it goes.
      const showEvents = !o.quiet && !json && (!o.replay || verbose);
      await withApi(
        cmd,
        async (api) => {
          const { agentEventOf } = await import('../../../application/vocabulary.js');
          const bar = o.replay && !json && !o.quiet && !showEvents ? progress('replay') : undefined;
          let handle: Awaited<ReturnType<typeof api.agent.start>> | null = null;
          const events: AgentEvent[] = [];
          const so = { orders: 0, closed: 0, pnl: 0, at: 0 };
          const soFar = () => `${minute(so.at).slice(0, 10)}, ${count(so.orders)} orders, ${count(so.closed)} closed trades, P&L ${money(so.pnl)}`;
          // The agent's events arrive as domain events once stored; this command only formats them.
          const unsubscribe = api.events.subscribe((d: DomainEvent) => {
            const e = agentEventOf(d.payload, d.at);
            if (!e) return;
            so.at = e.at;
            if (e.kind === 'executed') so.orders++;
            if (e.kind === 'learned') {
              so.closed++;
              so.pnl += Number(e.data?.pnl) || 0;
            }
            if (e.kind === 'transition') {
              // The event's own time, not the clock's: a replay publishes its events in batches, after the clock moved on.
              if (bar && handle && e.state === 'IDLE') bar.update(handle.progress(e.at) ?? 0, soFar());
              return;
            }
            if (json && verbose) events.push(e);
            if (showEvents) print(agentEventLine(e, verbose));
          });
          handle = await api.agent.start(over);
          const h = handle;
          let stopRequests = 0;
          const onSignal = (sig: string) => () => {
            if (h.status().status !== 'running') return;
            // First signal: finish the current step and stop. Second: emergency stop.
            if (stopRequests++ === 0) h.stop(`${sig} received`);
            else void h.emergencyStop(`second ${sig}`);
          };
          const handlers = { SIGINT: onSignal('SIGINT'), SIGTERM: onSignal('SIGTERM') };
          process.on('SIGINT', handlers.SIGINT);
          process.on('SIGTERM', handlers.SIGTERM);
          try {
            const summary = await h.done;
            bar?.done(soFar());
            if (json) printJson(verbose ? { ...summary, events } : summary);
            else print(summaryText(summary));
            // A halted agent says why and fails the command: trading did not carry on.
            if (summary.run.status === 'halted') throw new FfeError('runtime', 'AGENT_HALTED', `agent halted: ${summary.run.haltReason}`);
          } finally {
            unsubscribe();
            process.off('SIGINT', handlers.SIGINT);
            process.off('SIGTERM', handlers.SIGTERM);
          }
        },
        { agent: true, storePath: o.db, replay: o.replay ? { from, to, speed } : undefined, env },
      );
    });
}

function summaryText(s: AgentSummary): string {
  const final = s.run;
  const c = final.counts;
  const r = s.replay;
  const weights = `ensemble weights ${
    Object.entries(s.weights)
      .map(([k, v]) => `${k} ${v.toFixed(3)}`)
      .join(', ') || '-'
  }, ${count(s.weightChanges)} changes`;
  const look = `ffe --sandbox ${r?.sandbox}`;
  return [
    `agent ${final.status}${final.haltReason ? ` (${final.haltReason})` : ''} after ${count(final.cycle)} cycles in ${s.wallSeconds.toFixed(1)} s`,
    ...s.notes,
    `decisions ${count(c.decisions)} (hold ${count(c.holds)}), executed ${count(c.executed)}, denied ${count(c.denied)}, queued ${count(c.queued)}, failed ${count(c.failed)}`,
    `closed trades ${count(s.closedTrades)}, win rate ${s.closedTrades ? pct(s.winRate) : '-'}, P&L ${money(s.pnl)}, max drawdown ${pct(s.maxDrawdown)} (realised equity); open positions ${count(s.openPositions)}`,
    // A replay's learning is replay learning, kept in its own store; the account's memory never sees it.
    r ? `replay learning (${r.sandbox ? `sandbox ${r.sandbox}` : r.store}, apart from your account): ${weights}` : `${weights} (\`ffe memory weights --history\`)`,
    ...(r
      ? [
          r.sandbox
            ? `replay ${iso(r.from)} → ${iso(r.to)} ran in sandbox ${r.sandbox} (${r.store}); see its trades and learning with \`${look} monitor metrics\` and \`${look} memory weights --history\``
            : `replay ${iso(r.from)} → ${iso(r.to)} ran in ${r.store}`,
        ]
      : []),
  ].join('\n');
}
