import type { Command } from 'commander';
import { LOCAL_OPERATOR } from '../../../application/auth/principal.js';
import { inputError } from '../../../core/errors.js';
import type { UserView } from '../../../application/auth/auth.js';
import { table } from '../format.js';
import { print, printJson, withApi } from '../run.js';

/** The whole of stdin without its final newline (`printf %s "$PW" | ffe user create ... --password-stdin`). */
export async function readStdinSecret(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

const ONCE = 'shown once: it will not be shown again; store it now';
const row = (u: UserView) => [u.name, u.role, u.mfa ? 'yes' : 'no', u.disabled ? 'disabled' : 'enabled', u.created_at.replace('.000Z', 'Z'), u.id];

function printPassword(password: string | undefined): void {
  if (password) print(`password: ${password}\n(${ONCE})`);
}

/** `ffe user ...`: users of the API server. The CLI is the machine's own operator: it acts as admin (LOCAL_OPERATOR). */
export function registerUser(program: Command): void {
  const user = program.command('user').description('users of `ffe serve` (log in with a password, and a TOTP code once MFA is enrolled)');

  user
    .command('create <name>')
    .description('create a user; without --password-stdin a random password is generated and printed once')
    .requiredOption('--role <role>', 'viewer, analyst, trader, operator, admin or auditor')
    .option('--password-stdin', 'read the password from standard input (at least 12 characters)')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { role: string; passwordStdin?: boolean; json?: boolean }, cmd: Command) => {
      const password = o.passwordStdin ? await readStdinSecret() : undefined;
      await withApi(cmd, async (api) => {
        const r = await api.auth.createUser({ name, role: o.role, password }, LOCAL_OPERATOR);
        if (o.json) return printJson(r);
        print(`created user ${r.user.name} (${r.user.role})`);
        printPassword(r.password);
      });
    });

  user
    .command('list')
    .description('list users (never their passwords or MFA secrets)')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const list = await api.auth.listUsers();
        if (o.json) return printJson(list);
        if (!list.length) return print('no users; create the first admin with `ffe user create NAME --role admin`');
        print(table(['name', 'role', 'mfa', 'state', 'created', 'id'], list.map(row)));
      });
    });

  user
    .command('set-role <name> <role>')
    .description("change a user's role (their sessions end; the new role applies at the next login)")
    .option('--json', 'print JSON')
    .action(async (name: string, role: string, o: { json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const u = await api.auth.setRole(name, role, LOCAL_OPERATOR);
        if (o.json) return printJson(u);
        print(`${u.name} is now ${u.role}`);
      });
    });

  user
    .command('disable <name>')
    .description('disable a user: no more logins, and their sessions end')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const u = await api.auth.disableUser(name, LOCAL_OPERATOR);
        if (o.json) return printJson(u);
        print(`${u.name} disabled`);
      });
    });

  user
    .command('reset-password <name>')
    .description('set a new password (generated and printed once unless --password-stdin); the user’s sessions end')
    .option('--password-stdin', 'read the password from standard input')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { passwordStdin?: boolean; json?: boolean }, cmd: Command) => {
      const password = o.passwordStdin ? await readStdinSecret() : undefined;
      await withApi(cmd, async (api) => {
        const r = await api.auth.resetPassword(name, password, LOCAL_OPERATOR);
        if (o.json) return printJson(r);
        print(`password of ${r.user.name} reset`);
        printPassword(r.password);
      });
    });

  const mfa = user.command('mfa').description('TOTP two-factor authentication (RFC 6238: any authenticator app)');
  mfa
    .command('enroll <name>')
    .description('start enrolment: prints the otpauth URI and secret once; then `ffe user mfa confirm NAME CODE`')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const r = await api.auth.enrollMfa(name);
        if (o.json) return printJson(r);
        print(`otpauth URI: ${r.otpauth_uri}\nsecret: ${r.secret}\n(${ONCE}; add it to an authenticator app, then confirm with \`ffe user mfa confirm ${name} CODE\`)`);
      });
    });
  mfa
    .command('confirm <name> <code>')
    .description('finish enrolment with a current 6-digit code; from then on logins need a code')
    .option('--json', 'print JSON')
    .action(async (name: string, code: string, o: { json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const u = await api.auth.confirmMfa(name, code);
        if (o.json) return printJson(u);
        print(`MFA enabled for ${u.name}`);
      });
    });
  mfa
    .command('disable <name>')
    .description('turn MFA off for a user (a lost device); enrol again afterwards')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const u = await api.auth.disableMfa(name, LOCAL_OPERATOR);
        if (o.json) return printJson(u);
        print(`MFA disabled for ${u.name}`);
      });
    });

  user
    .command('export <name>')
    .description("everything held about a user (GDPR access request) as one JSON document: profile, keys, sessions, audit entries, every registered area's data")
    .option('--out <file>', 'write the document to this file (created readable by you only) instead of standard output')
    .action(async (name: string, o: { out?: string }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const doc = await api.gdpr.exportUser(name, LOCAL_OPERATOR);
        if (!o.out) return printJson(doc);
        const { writeFileSync } = await import('node:fs');
        writeFileSync(o.out, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600 });
        print(`export of ${doc.subject.name} written to ${o.out}`);
      });
    });

  user
    .command('erase <name>')
    .description('erase a user (GDPR): personal data deleted, the user and the records kept by law pseudonymised (erased-<8 hex>); the audit chain stays verifiable')
    .option('--yes', 'confirm: this cannot be undone')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { yes?: boolean; json?: boolean }, cmd: Command) => {
      if (!o.yes) throw inputError('CONFIRMATION_REQUIRED', `erasing "${name}" cannot be undone: pass --yes to confirm`);
      await withApi(cmd, async (api) => {
        const r = await api.gdpr.eraseUser(name, LOCAL_OPERATOR);
        if (o.json) return printJson(r);
        print(`${name} erased: now ${r.pseudonym} (${r.records} records deleted or pseudonymised)`);
      });
    });
}
