import type { Command } from 'commander';
import { FfeError } from '../../../core/errors.js';
import { table } from '../format.js';
import { print, printJson, withApi } from '../run.js';
import { positiveInt } from './history.js';

const brief = (params: Record<string, unknown>) => {
  const text = JSON.stringify(params);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
};

/** `ffe audit verify | list | prune`: the tamper-evident audit log of every state-changing action. */
export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('the audit log: who did what, when, with what result (append-only, hash-chained)');

  audit
    .command('verify')
    .description('check the hash chain; exit 1 naming the first altered, missing or reordered entry')
    .option('--json', 'print the verification as JSON')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const v = await api.audit.verify();
        if (o.json) printJson(v);
        if (v.first_problem) {
          const p = v.first_problem;
          throw new FfeError('runtime', 'AUDIT_CHAIN_BROKEN', `audit log broken at entry ${p.seq}: ${p.problem}: ${p.detail}`);
        }
        if (!o.json) print(`audit log OK: ${v.checked} entries verified${v.from_seq ? ` (from the prune checkpoint at entry ${v.from_seq})` : ''}`);
      });
    });

  audit
    .command('list')
    .description('entries, newest first')
    .option('-l, --limit <n>', 'how many', positiveInt('--limit'), 20)
    .option('--action <name>', 'only this action (e.g. order.submitted, decision.execute)')
    .option('--actor <label>', 'only this actor (e.g. local:local-cli, user:alice, agent)')
    .option('--from <time>', 'entries at or after this time (ISO 8601)')
    .option('--to <time>', 'entries at or before this time (ISO 8601)')
    .option('--cursor <cursor>', 'the next page (next_cursor of --json)')
    .option('--json', 'print JSON (entries and next_cursor)')
    .action(async (o: { limit: number; action?: string; actor?: string; from?: string; to?: string; cursor?: string; json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const page = await api.audit.list({ limit: o.limit, action: o.action, actor: o.actor, from: o.from, to: o.to, cursor: o.cursor });
        if (o.json) return printJson(page);
        if (!page.entries.length) return print('no audit entries');
        print(
          table(
            ['seq', 'at', 'actor', 'role', 'action', 'result', 'error', 'params'],
            page.entries.map((e) => [e.seq, e.at.replace('.000Z', 'Z'), e.actor, e.role, e.action, e.result, e.error_code ?? '-', brief(e.params)]),
          ),
        );
      });
    });

  audit
    .command('prune')
    .description('remove entries older than audit.retention_days (the chain stays verifiable from a checkpoint)')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const r = await api.audit.prune();
        if (o.json) return printJson(r);
        print(r.pruned ? `pruned ${r.pruned} entries older than ${r.before}; verification starts at entry ${r.checkpoint_seq}` : `nothing older than ${r.before}`);
      });
    });
}
