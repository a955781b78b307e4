import { Option, type Command } from 'commander';
import type { Approval } from '../../../application/types.js';
import { iso, table } from '../format.js';
import { print, printJson, withApi } from '../run.js';

const row = (a: Approval) => [a.id, a.status, a.pair, a.action, a.confidence, iso(a.createdAt), iso(a.expiresAt), a.summary];

/** `ffe approvals list`, `ffe approve <id>`, `ffe reject <id>`: the manual approval queue of the agent. */
export function registerApprovals(program: Command): void {
  program
    .command('approvals')
    .description('the agent’s manual approval queue')
    .command('list')
    .description('list approvals (pending first come from `run-agent --approval manual`); expired ones are never executed')
    .addOption(new Option('--status <status>', 'only pending, approved, rejected or expired').choices(['pending', 'approved', 'rejected', 'expired']))
    .option('--json', 'print JSON (numbers at full precision)')
    .action(async (o: { status?: Approval['status']; json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const list = await api.trading.approvals.list(o.status);
        if (o.json) return printJson(list);
        if (!list.length) return print('no approvals; `ffe run-agent --approval manual` queues decisions here');
        print(table(['id', 'status', 'pair', 'action', 'conf', 'created', 'expires', 'order'], list.map(row)));
      });
    });

  program
    .command('approve <id>')
    .description('approve a pending decision and execute it now through the risk gate and order path')
    .option('--note <text>', 'why')
    .option('--json', 'print JSON (numbers at full precision)')
    .action(async (id: string, o: { note?: string; json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const { approval, result } = await api.trading.approvals.approve(id, o.note ?? null);
        if (o.json) return printJson({ approval, result });
        const denied = result.gate && !result.gate.approved ? `; denied by the risk gate: ${result.gate.denials.map((d) => d.message).join('; ')}` : '';
        print(`approval ${approval.id} approved: ${approval.summary} → ${result.status}${denied}`);
      });
    });

  program
    .command('reject <id>')
    .description('reject a pending decision; it will never be executed')
    .option('--note <text>', 'why')
    .option('--json', 'print JSON (numbers at full precision)')
    .action(async (id: string, o: { note?: string; json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const a = await api.trading.approvals.reject(id, o.note ?? null);
        if (o.json) return printJson(a);
        print(`approval ${a.id} rejected: ${a.summary}`);
      });
    });
}
