import type { Command } from 'commander';
import { fraction, pairList, segment } from '../args.js';
import type { Ctl } from '../context.js';
import { listOf, recordsTable, render } from '../render.js';

const said = (verb: string) => (body: unknown) => {
  const state = body && typeof body === 'object' ? ((body as Record<string, unknown>).state ?? (body as Record<string, unknown>).status) : undefined;
  return [`bot ${verb}${typeof state === 'string' ? `: ${state}` : ''}`, ...(body && typeof body === 'object' && Object.keys(body).length ? [render(body)] : [])];
};

/** `ffe-ctl bot start|stop|emergency-stop|status`. */
export function registerBot(program: Command, ctl: Ctl): void {
  const bot = program.command('bot').description('start, stop and watch the agent of a running `ffe serve`');

  bot
    .command('start')
    .description('start the agent (operator role)')
    .option('--assets <pairs>', 'comma-separated pairs, e.g. BTCUSD,ETHUSD (default: the server’s configuration)', pairList)
    .option('--take-profit <fraction>', 'take profit as a fraction (0.03 is 3%)', fraction)
    .option('--stop-loss <fraction>', 'stop loss as a fraction (0.02 is 2%)', fraction)
    .option('--dry-run', 'decide and journal without placing orders')
    .option('--manual', 'queue decisions for approval instead of trading autonomously')
    .action(async (o: { assets?: string[]; takeProfit?: number; stopLoss?: number; dryRun?: boolean; manual?: boolean }, cmd: Command) => {
      const body = { asset_pairs: o.assets, autonomous: o.manual ? false : undefined, take_profit: o.takeProfit, stop_loss: o.stopLoss, dry_run: o.dryRun ? true : undefined };
      ctl.show(cmd, await ctl.client(cmd).post('/api/v1/bot/start', body), said('started'));
    });

  bot
    .command('stop')
    .description('stop the agent; open positions stay open (operator role)')
    .action(async (_o: unknown, cmd: Command) => ctl.show(cmd, await ctl.client(cmd).post('/api/v1/bot/stop'), said('stopped')));

  bot
    .command('emergency-stop')
    .description('halt trading now; stays halted until an admin clears it (operator role)')
    .option('--close-positions', 'also close every open position')
    .action(async (o: { closePositions?: boolean }, cmd: Command) => {
      const body = await ctl.client(cmd).post('/api/v1/bot/emergency-stop', undefined, { query: { close_positions: o.closePositions === true } });
      ctl.show(cmd, body, said('emergency-stopped'));
    });

  bot
    .command('status')
    .description('state, OODA state, uptime, trades, positions, portfolio value, daily P&L, last decision, config')
    .action(async (_o: unknown, cmd: Command) => ctl.show(cmd, await ctl.client(cmd).get('/api/v1/bot/status')));

  const positions = program.command('positions').description('open positions of the running agent');
  positions
    .command('list')
    .description('list open positions')
    .action(async (_o: unknown, cmd: Command) =>
      ctl.show(cmd, await ctl.client(cmd).get('/api/v1/bot/positions'), (body) => {
        const rows = listOf(body, 'positions');
        return rows === null ? render(body) : rows.length ? recordsTable(rows) : 'no open positions';
      }),
    );
  positions
    .command('close <id>')
    .description('close one open position (trader role)')
    .action(async (id: string, _o: unknown, cmd: Command) => ctl.show(cmd, await ctl.client(cmd).post(`/api/v1/bot/positions/${segment(id)}/close`), (b) => [`position ${id} closed`, render(b)]));

  positions.addHelpText('after', '\nSizes and prices print at the pair’s precision; --json keeps full precision.');
}
