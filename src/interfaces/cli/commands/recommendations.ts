import type { Command } from 'commander';
import type { RecommendationView } from '../../../application/investor/recommendations.js';
import { inputError } from '../../../core/errors.js';
import { pct, table } from '../format.js';
import { print, printJson, withApi } from '../run.js';
import { investorSubject } from './watchlist.js';

const USER_HELP = 'the FFE user whose recommendations these are (default: the local operator)';
/** The measured result: the return after costs of following it, or for a HOLD (no position) the price move it sat out. */
function outcome(r: RecommendationView): string {
  const o = r.outcome;
  if (o.status === 'pending') return `pending until ${r.horizon_ends_at.slice(0, 10)}`;
  if (o.return_after_costs !== null) return `${o.status} ${pct(o.return_after_costs)} ${o.correct ? 'right' : 'wrong'}`;
  if (o.exit_price === null) return `${o.status}, no bars after entry`;
  return `${o.status}, price ${pct(o.exit_price / r.entry - 1)}`;
}
const rows = (rs: RecommendationView[]) =>
  table(
    ['id', 'pair', 'action', 'conf', 'entry', 'stop', 'target', 'horizon', 'outcome', 'rated'],
    rs.map((r) => [
      r.id,
      r.pair,
      r.action,
      r.confidence,
      r.entry,
      r.stop ?? '-',
      r.target ?? '-',
      r.horizon,
      outcome(r),
      r.feedback ? `${r.feedback.useful ? 'useful' : 'not useful'}${r.feedback.acted ? ', acted' : ''}` : '-',
    ]),
  );

/** `ffe recommendations daily|history|rate|run`, `ffe consent list|grant|withdraw`: the investor platform (docs/recommendations.md). */
export function registerRecommendations(program: Command): void {
  const r = program.command('recommendations').description('daily recommendations for the pairs on your watchlists (not investment advice: see docs/recommendations.md)');
  r.command('daily')
    .description("the latest daily run's recommendations for you")
    .option('--user <name>', USER_HELP)
    .option('--json', 'print JSON')
    .action(async (o: { user?: string; json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const d = await api.investor.recommendations.daily(await investorSubject(api, o.user));
        if (o.json) return printJson(d);
        if (!d.run) return print('no daily run yet (`ffe recommendations run`, or recommendations.cron on `ffe serve`)');
        print(`run ${d.run.id} at ${d.run.started_at}: ${d.run.pairs} pairs, ${d.run.errors} errors`);
        if (!d.recommendations.length) return print('no recommendations for you in it: add pairs with `ffe watchlist create NAME PAIR...`');
        print(rows(d.recommendations));
        print(`\n${d.recommendations[0].disclosure}`);
      });
    });
  r.command('history')
    .description('your recommendations, newest first')
    .option('--user <name>', USER_HELP)
    .option('--pair <pair>', 'only this pair')
    .option('--limit <n>', 'how many', (v) => Number(v), 20)
    .option('--json', 'print JSON')
    .action(async (o: { user?: string; pair?: string; limit: number; json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const h = await api.investor.recommendations.history(await investorSubject(api, o.user), { limit: o.limit, pair: o.pair });
        if (o.json) return printJson(h);
        print(h.recommendations.length ? rows(h.recommendations) : 'no recommendations yet');
      });
    });
  r.command('rate <id>')
    .description('rate a recommendation (it feeds the memory only with your feedback_learning consent)')
    .option('--useful', 'it was useful')
    .option('--not-useful', 'it was not useful')
    .option('--acted', 'you acted on it')
    .option('--note <text>', 'a note (at most 1000 characters)')
    .option('--user <name>', USER_HELP)
    .option('--json', 'print JSON')
    .action(async (id: string, o: { useful?: boolean; notUseful?: boolean; acted?: boolean; note?: string; user?: string; json?: boolean }, cmd: Command) => {
      if (!!o.useful === !!o.notUseful) throw inputError('FEEDBACK_INVALID', 'useful: give exactly one of --useful and --not-useful');
      await withApi(cmd, async (api) => {
        const x = await api.investor.recommendations.rate(await investorSubject(api, o.user), id, { useful: !!o.useful, acted: !!o.acted, note: o.note ?? null });
        if (o.json) return printJson(x);
        print(`rated ${x.id} (${x.pair} ${x.action}): ${x.feedback!.useful ? 'useful' : 'not useful'}, ${x.feedback!.acted ? 'acted on' : 'not acted on'}`);
      });
    });
  r.command('run')
    .description('run the daily run now: every watched pair analysed once, a recommendation per user and pair')
    .option('--as-of <date>', 'analyse as of this past moment on the data known then (YYYY-MM-DD: the end of that day UTC; or ISO 8601): a backfill; outcomes whose horizon is over are measured at once')
    .option('--json', 'print JSON')
    .action(async (o: { asOf?: string; json?: boolean }, cmd: Command) => {
      const { parseAsOf } = await import('../../../application/vocabulary.js');
      const asOf = o.asOf === undefined ? undefined : parseAsOf(o.asOf);
      await withApi(cmd, async (api) => {
        const { done } = await api.investor.recommendations.runNow(asOf);
        const run = await done;
        if (o.json) return printJson({ run });
        print(`run ${run.id}: ${run.pairs} pairs analysed, ${run.recommendations} recommendations, ${run.errors} errors`);
      });
    });

  const c = program.command('consent').description('your consents (telegram_recommendations, feedback_learning); every change is kept');
  c.command('list')
    .description('every purpose and whether you consent')
    .option('--user <name>', 'the FFE user (default: the local operator)')
    .option('--json', 'print JSON')
    .action(async (o: { user?: string; json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const l = await api.investor.consents.list(await investorSubject(api, o.user));
        if (o.json) return printJson(l);
        print(
          table(
            ['purpose', 'granted', 'since', 'version', 'what'],
            l.consents.map((x) => [x.purpose, x.granted ? 'yes' : 'no', x.at ?? '-', x.version, x.description]),
          ),
        );
      });
    });
  for (const [name, granted] of [
    ['grant', true],
    ['withdraw', false],
  ] as const) {
    c.command(`${name} <purpose>`)
      .description(granted ? 'give a consent' : 'withdraw a consent')
      .option('--user <name>', 'the FFE user (default: the local operator)')
      .option('--json', 'print JSON')
      .action(async (purpose: string, o: { user?: string; json?: boolean }, cmd: Command) => {
        await withApi(cmd, async (api) => {
          const x = await api.investor.consents.set(await investorSubject(api, o.user), purpose, granted);
          if (o.json) return printJson(x);
          print(`${x.purpose}: ${x.granted ? 'granted' : 'withdrawn'} (version ${x.version})`);
        });
      });
  }
}
