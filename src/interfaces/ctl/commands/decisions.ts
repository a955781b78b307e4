import type { Command } from 'commander';
import { pair, segment, wholeCount } from '../args.js';
import type { Ctl } from '../context.js';
import { listOf, recordsTable, render } from '../render.js';

/** A page of a listing and how to ask for the next one. */
export function pageText(body: unknown, key: string, empty: string, next: (cursor: string) => string): string[] {
  const rows = listOf(body, key);
  if (rows === null) return [render(body)];
  const cursor = body && typeof body === 'object' ? (body as Record<string, unknown>).next_cursor : undefined;
  return [rows.length ? recordsTable(rows) : empty, ...(typeof cursor === 'string' && cursor ? [`more: ${next(cursor)}`] : [])];
}

/** `ffe-ctl decisions list|show|create` and `ffe-ctl approvals list|approve|reject`. */
export function registerDecisions(program: Command, ctl: Ctl): void {
  const decisions = program.command('decisions').description('the decisions the server made');
  decisions
    .command('list')
    .description('newest first, a page at a time')
    .option('--limit <n>', 'how many', wholeCount)
    .option('--asset <pair>', 'only this pair', pair)
    .option('--cursor <cursor>', 'the page after this cursor (printed under a full page)')
    .action(async (o: { limit?: number; asset?: string; cursor?: string }, cmd: Command) => {
      const body = await ctl.client(cmd).get('/api/v1/decisions', { limit: o.limit, asset: o.asset, cursor: o.cursor });
      const more = (c: string) => `ffe-ctl decisions list${o.limit ? ` --limit ${o.limit}` : ''}${o.asset ? ` --asset ${o.asset}` : ''} --cursor ${c}`;
      ctl.show(cmd, body, (b) => pageText(b, 'decisions', 'no decisions', more));
    });
  decisions
    .command('show <id>')
    .description('one decision in full')
    .action(async (id: string, _o: unknown, cmd: Command) => ctl.show(cmd, await ctl.client(cmd).get(`/api/v1/decisions/${segment(id)}`)));
  decisions
    .command('create')
    .description('ask the server for a decision on a pair now (analysis only; nothing is traded)')
    .requiredOption('--pair <pair>', 'asset pair, e.g. BTCUSD', pair)
    .option('--provider <name>', 'one provider instead of the ensemble')
    .action(async (o: { pair: string; provider?: string }, cmd: Command) => ctl.show(cmd, await ctl.client(cmd).post('/api/v1/decisions', { asset_pair: o.pair, provider: o.provider })));

  const approvals = program.command('approvals').description('decisions waiting for a person (trader role to decide)');
  approvals
    .command('list')
    .description('the approval queue')
    .action(async (_o: unknown, cmd: Command) => ctl.show(cmd, await ctl.client(cmd).get('/api/v1/approvals'), (b) => pageText(b, 'approvals', 'no approvals waiting', (c) => c)));
  for (const [verb, status] of [
    ['approve', 'approved'],
    ['reject', 'rejected'],
  ] as const) {
    approvals
      .command(`${verb} <decision-id>`)
      .description(verb === 'approve' ? 'approve a pending decision: the server executes it through the risk gate' : 'reject a pending decision; it is never executed')
      .option('--notes <text>', 'why (kept in the audit log)')
      .action(async (id: string, o: { notes?: string }, cmd: Command) => {
        const body = await ctl.client(cmd).post(`/api/v1/approvals/${segment(id)}`, { status, notes: o.notes });
        ctl.show(cmd, body, (b) => [`decision ${id} ${status}`, render(b)]);
      });
  }
}
