import type { Command } from 'commander';
import { LOCAL_OPERATOR } from '../../../application/auth/principal.js';
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
}
