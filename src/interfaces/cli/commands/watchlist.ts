import type { Command } from 'commander';
import type { FfeApi } from '../../../application/api.js';
import { LOCAL_OPERATOR, type Principal } from '../../../application/auth/principal.js';
import { table } from '../format.js';
import { print, printJson, withApi } from '../run.js';

/** Whose investor data a command is about: `--user NAME`, or the operator at this machine. */
export const investorSubject = (api: FfeApi, user: string | undefined): Promise<Principal> => (user ? api.investor.user(user) : Promise.resolve(LOCAL_OPERATOR));

type Opts = { user?: string; json?: boolean };
const USER_HELP = 'the FFE user whose watchlists these are (default: the local operator)';

/** `ffe watchlist list|create|add|remove|delete`: per-user watchlists the daily recommendation run analyses. */
export function registerWatchlist(program: Command): void {
  const w = program.command('watchlist').description('per-user watchlists of pairs (crypto, forex, stocks) the daily recommendation run analyses');
  const act = (fn: (api: FfeApi, who: Principal) => Promise<unknown>) => (o: Opts, cmd: Command) =>
    withApi(cmd, async (api) => {
      const out = await fn(api, await investorSubject(api, o.user));
      if (o.json) return printJson(out ?? { ok: true });
    });
  const show = (x: { name: string; pairs: string[] }) => print(`${x.name}: ${x.pairs.join(', ') || '(no pairs)'}`);
  w.command('list')
    .description('your watchlists')
    .option('--user <name>', USER_HELP)
    .option('--json', 'print JSON')
    .action(async (o: Opts, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const { watchlists } = await api.investor.watchlists.list(await investorSubject(api, o.user));
        if (o.json) return printJson({ watchlists });
        if (!watchlists.length) return print('no watchlists; `ffe watchlist create NAME PAIR...` makes one');
        print(
          table(
            ['id', 'name', 'pairs', 'updated'],
            watchlists.map((x) => [x.id, x.name, x.pairs.join(' '), x.updated_at]),
          ),
        );
      });
    });
  w.command('create <name> [pairs...]')
    .description('create a watchlist (pairs normalised: btc-usd → BTCUSD)')
    .option('--user <name>', USER_HELP)
    .option('--json', 'print JSON')
    .action((name: string, pairs: string[], o: Opts, cmd: Command) =>
      act(async (api, who) => {
        const x = await api.investor.watchlists.create(who, { name, pairs });
        if (!o.json) show(x);
        return x;
      })(o, cmd),
    );
  w.command('add <name> <pair>')
    .description('add a pair to a watchlist (by name or id)')
    .option('--user <name>', USER_HELP)
    .option('--json', 'print JSON')
    .action((name: string, pair: string, o: Opts, cmd: Command) =>
      act(async (api, who) => {
        const x = await api.investor.watchlists.addPair(who, (await api.investor.watchlists.find(who, name)).id, pair);
        if (!o.json) show(x);
        return x;
      })(o, cmd),
    );
  w.command('remove <name> <pair>')
    .description('remove a pair from a watchlist')
    .option('--user <name>', USER_HELP)
    .option('--json', 'print JSON')
    .action((name: string, pair: string, o: Opts, cmd: Command) =>
      act(async (api, who) => {
        const x = await api.investor.watchlists.removePair(who, (await api.investor.watchlists.find(who, name)).id, pair);
        if (!o.json) show(x);
        return x;
      })(o, cmd),
    );
  w.command('delete <name>')
    .description('delete a watchlist (its past recommendations stay)')
    .option('--user <name>', USER_HELP)
    .option('--json', 'print JSON')
    .action((name: string, o: Opts, cmd: Command) =>
      act(async (api, who) => {
        const x = await api.investor.watchlists.find(who, name);
        await api.investor.watchlists.remove(who, x.id);
        if (!o.json) print(`watchlist ${x.name} deleted`);
        return { deleted: x.id };
      })(o, cmd),
    );
}
