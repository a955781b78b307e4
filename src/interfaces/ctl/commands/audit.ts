import type { Command } from 'commander';
import { wholeCount } from '../args.js';
import type { Ctl } from '../context.js';
import { CtlError } from '../errors.js';
import { inline } from '../render.js';
import { pageText } from './decisions.js';

/** `ffe-ctl audit list|verify` (auditor or admin role). */
export function registerAudit(program: Command, ctl: Ctl): void {
  const audit = program.command('audit').description('the tamper-evident audit log (auditor or admin role)');
  audit
    .command('list')
    .description('entries, newest first')
    .option('--limit <n>', 'how many', wholeCount)
    .option('--action <action>', 'only this action')
    .option('--actor <actor>', 'only this actor')
    .option('--cursor <cursor>', 'the page after this cursor')
    .action(async (o: { limit?: number; action?: string; actor?: string; cursor?: string }, cmd: Command) => {
      const body = await ctl.client(cmd).get('/api/v1/audit', { limit: o.limit, cursor: o.cursor, action: o.action, actor: o.actor });
      ctl.show(cmd, body, (b) => pageText(b, 'entries', 'no audit entries', (c) => `ffe-ctl audit list --cursor ${c}`));
    });
  audit
    .command('verify')
    .description('check the hash chain; exits 1 naming the first altered or missing entry')
    .action(async (_o: unknown, cmd: Command) => {
      const body = (await ctl.client(cmd).get('/api/v1/audit/verify')) as Record<string, unknown>;
      const checked = typeof body?.checked === 'number' ? body.checked : '?';
      ctl.show(cmd, body, () => (body?.ok === true ? `audit log intact: ${checked} entries checked` : `audit log BROKEN after ${checked} entries: ${inline(body?.first_problem)}`));
      if (body?.ok !== true) throw new CtlError('', 1);
    });
}
