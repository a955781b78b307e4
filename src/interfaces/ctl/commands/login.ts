import type { Command } from 'commander';
import { ApiClient, DEFAULT_TIMEOUT_MS, normaliseApiUrl } from '../client.js';
import type { Ctl } from '../context.js';
import { CtlError, exitCodeFor, serverErrorOf } from '../errors.js';
import { readLogin, removeLogin, writeLogin } from '../token-store.js';

/** The server asks for a second factor: its code or message names TOTP or MFA. */
const wantsTotp = (body: unknown) => {
  const e = serverErrorOf(body);
  return /TOTP|MFA/i.test(`${e.code ?? ''} ${e.message ?? ''}`);
};

/** `ffe-ctl login` and `ffe-ctl logout`: a saved access/refresh token pair, readable by its owner only. */
export function registerLogin(program: Command, ctl: Ctl): void {
  program
    .command('login')
    .description('log in with a user name and password (and TOTP code); saves the tokens with mode 0600')
    .option('--name <name>', 'user name (asked on a terminal when missing)')
    .option('--password-stdin', 'read the password from stdin (for scripts)')
    .option('--totp <code>', 'the 6-digit code of your authenticator app')
    .action(async (o: { name?: string; passwordStdin?: boolean; totp?: string }, cmd: Command) => {
      if (o.totp !== undefined && !/^\d{6,8}$/.test(o.totp)) throw new CtlError('--totp: must be the 6-digit code of your authenticator app', 2);
      const ask = ctl.io.prompt;
      const name = o.name ?? (ask ? (await ask('user name: ', false)).trim() : undefined);
      if (!name) throw new CtlError('--name: needed (no terminal to ask on)', 2);
      let password: string | undefined;
      if (o.passwordStdin) password = (await ctl.io.readStdin()).replace(/\r?\n$/, '');
      else if (ask) password = await ask('password: ', true);
      if (!password) throw new CtlError(o.passwordStdin ? '--password-stdin: stdin held no password' : '--password-stdin: needed when there is no terminal to ask on', 2);
      ctl.secrets.add(password);

      const base = ctl.apiUrl(cmd);
      const client = new ApiClient(base, { kind: 'none' }, ctl.secrets, ctl.globals(cmd).timeout ?? DEFAULT_TIMEOUT_MS);
      const attempt = (totp?: string) => client.request('POST', '/api/v1/auth/login', { body: { name, password, totp }, auth: false, acceptAnyStatus: true });
      let res = await attempt(o.totp);
      if (res.status === 401 && !o.totp && ask && wantsTotp(res.body)) {
        const code = (await ask('TOTP code: ', false)).trim();
        res = await attempt(code);
      }
      if (res.status < 200 || res.status >= 300) {
        if (res.status === 401) {
          const e = serverErrorOf(res.body);
          throw new CtlError(`login refused: ${e.message ?? 'wrong name, password or TOTP code'}${e.code ? ` [${e.code}]` : ''}`, exitCodeFor(e.code, 401), e.code, 401);
        }
        throw client.failure(res);
      }
      const t = res.body as Record<string, unknown>;
      if (typeof t?.access_token !== 'string' || typeof t?.refresh_token !== 'string') throw new CtlError('the server answered the login without access_token and refresh_token', 1);
      ctl.secrets.add(t.access_token, t.refresh_token);
      const file = ctl.tokenFile;
      writeLogin(file, { api_url: base, access_token: t.access_token, refresh_token: t.refresh_token, name });
      if (ctl.json(cmd)) return ctl.out.json({ api_url: base, name, token_file: file, token_type: t.token_type ?? null, expires_in: t.expires_in ?? null });
      ctl.out.line(`logged in to ${base} as ${name}; tokens saved to ${file} (mode 0600)`);
    });

  program
    .command('logout')
    .description('revoke the saved refresh token on the server and delete the saved login')
    .action(async (_o: unknown, cmd: Command) => {
      const file = ctl.tokenFile;
      const login = readLogin(file);
      if (!login) return ctl.out.line(`not logged in (no ${file})`);
      // Revoked where it was issued, whatever --api-url says now.
      const base = normaliseApiUrl(login.api_url, file);
      const client = new ApiClient(base, { kind: 'login', file, login }, ctl.secrets, ctl.globals(cmd).timeout ?? DEFAULT_TIMEOUT_MS);
      let warning = '';
      try {
        await client.post('/api/v1/auth/logout', { refresh_token: login.refresh_token });
      } catch (e) {
        // The local copy goes either way: a server that is down must not keep a token on this disk.
        warning = ` (the server did not revoke it: ${(e as Error).message})`;
      }
      removeLogin(file);
      ctl.out.line(`logged out of ${login.api_url}; deleted ${file}${warning}`);
    });
}
