import { setTimeout as sleep } from 'node:timers/promises';
import { Option, type Command } from 'commander';
import { isoDate, keyValue, pair, positive, segment } from '../args.js';
import type { ApiClient } from '../client.js';
import type { Ctl } from '../context.js';
import { CtlError } from '../errors.js';
import { inline, render } from '../render.js';
import { pct } from '../../cli/format.js';

const KINDS = ['backtest', 'walk_forward', 'monte_carlo', 'optimize'] as const;
const DONE = new Set(['done', 'completed', 'complete', 'succeeded', 'success', 'finished']);
const FAILED = new Set(['failed', 'error', 'errored']);
const CANCELLED = new Set(['cancelled', 'canceled']);

type Job = Record<string, unknown>;

/** Progress as the server gives it: a fraction (0.42), a percentage (42) or a record ({done, total}). */
export function progressText(p: unknown): string {
  if (typeof p === 'number') return Number.isFinite(p) ? (p <= 1 ? pct(p, 0) : `${Math.round(p)}%`) : '-';
  return inline(p);
}

const statusOf = (job: Job) => (typeof job.status === 'string' ? job.status.toLowerCase() : '');

/** The end of a job as an exit: a failed job is a run-time failure (1), a cancelled one 130 as `ffe`. */
function endOf(id: string, job: Job): CtlError | null {
  const s = statusOf(job);
  const why = job.error === undefined ? '' : `: ${inline(job.error)}`;
  if (FAILED.has(s)) return new CtlError(`backtest job ${id} failed${why}`, 1);
  if (CANCELLED.has(s)) return new CtlError(`backtest job ${id} was cancelled${why}`, 130);
  return null;
}

async function waitFor(client: ApiClient, ctl: Ctl, id: string, intervalMs: number): Promise<Job> {
  let last = '';
  for (;;) {
    const job = (await client.get(`/api/v1/backtests/${segment(id)}`)) as Job;
    const s = statusOf(job);
    if (DONE.has(s) || FAILED.has(s) || CANCELLED.has(s)) return job;
    const line = `backtest ${id}: ${s || 'pending'} ${progressText(job.progress)}`;
    if (line !== last) ctl.out.note(line);
    last = line;
    await sleep(intervalMs);
  }
}

/**
 * While `--wait` follows a job, the first Ctrl-C asks the server to cancel it and keeps following
 * until the job says it ended (cancelled: exit 130); a second Ctrl-C stops waiting at once and
 * leaves the job to the server.
 */
async function cancellingOnInterrupt<T>(client: ApiClient, ctl: Ctl, id: string, follow: () => Promise<T>): Promise<T> {
  let asked = false;
  const onInterrupt = () => {
    if (asked) {
      ctl.out.note(`stopped waiting; backtest ${id} is left to the server (\`ffe-ctl backtest status ${id}\`)`);
      process.exit(130);
    }
    asked = true;
    ctl.out.note(`cancelling backtest ${id} (Ctrl-C again to stop waiting)`);
    client.request('DELETE', `/api/v1/backtests/${segment(id)}`, { acceptAnyStatus: true }).catch((e: unknown) => ctl.out.note(`could not cancel backtest ${id}: ${(e as Error).message}`));
  };
  process.on('SIGINT', onInterrupt);
  try {
    return await follow();
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

/** `ffe-ctl backtest run|status|cancel`: research jobs on the server's workers. */
export function registerBacktest(program: Command, ctl: Ctl): void {
  const backtest = program.command('backtest').description('backtests, walk-forward, Monte Carlo and optimisation as server jobs (analyst role)');
  backtest
    .command('run')
    .description('submit a job; --wait follows its progress (on stderr) and prints the result')
    .requiredOption('--pair <pair>', 'asset pair, e.g. BTCUSD', pair)
    .addOption(new Option('--kind <kind>', 'what to run').choices(KINDS).default('backtest'))
    .option('--timeframe <tf>', 'bar timeframe, e.g. 1h')
    .option('--from <date>', 'first day (ISO date)', isoDate)
    .option('--to <date>', 'last day (ISO date)', isoDate)
    .option('--strategy <name>', 'reference strategy')
    .option('--provider <name>', 'decision provider')
    .option('--param <key=value>', 'any further job parameter (repeatable)', keyValue, {})
    .option('--wait', 'follow the job until it ends')
    .option('--interval <seconds>', 'seconds between status polls with --wait', positive, 1)
    .action(
      async (o: { pair: string; kind: string; timeframe?: string; from?: string; to?: string; strategy?: string; provider?: string; param: Record<string, unknown>; wait?: boolean; interval: number }, cmd: Command) => {
        if (o.from && o.to && Date.parse(o.from) > Date.parse(o.to)) throw new CtlError(`--to ${o.to} is before --from ${o.from}`, 2);
        const params = { ...o.param, asset_pair: o.pair, timeframe: o.timeframe, from: o.from, to: o.to, strategy: o.strategy, provider: o.provider };
        const client = ctl.client(cmd);
        const job = (await client.post('/api/v1/backtests', { kind: o.kind, params })) as Job;
        const id = typeof job?.id === 'string' || typeof job?.id === 'number' ? String(job.id) : '';
        if (!o.wait || !id) return ctl.show(cmd, job, (b) => [`backtest job ${id || '?'} submitted; follow it with \`ffe-ctl backtest status ${id}\``, render(b)]);
        ctl.out.note(`backtest ${id}: submitted (Ctrl-C cancels it)`);
        const end = await cancellingOnInterrupt(client, ctl, id, () => waitFor(client, ctl, id, o.interval * 1000));
        ctl.show(cmd, end, (b) => render((b as Job).result ?? b));
        const failed = endOf(id, end);
        if (failed) throw failed;
      },
    );
  backtest
    .command('status <id>')
    .description('a job’s status, progress and (when done) result')
    .action(async (id: string, _o: unknown, cmd: Command) => ctl.show(cmd, await ctl.client(cmd).get(`/api/v1/backtests/${segment(id)}`)));
  backtest
    .command('cancel <id>')
    .description('cancel a queued or running job')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const res = await ctl.client(cmd).request('DELETE', `/api/v1/backtests/${segment(id)}`);
      ctl.show(cmd, res.body, (b) => [`backtest job ${id} cancelled`, ...(b && typeof b === 'object' ? [render(b)] : [])]);
    });
}
