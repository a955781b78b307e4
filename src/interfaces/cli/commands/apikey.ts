import type { Command } from 'commander';
import type { ApiKeyView } from '../../../application/auth/auth.js';
import { LOCAL_OPERATOR } from '../../../application/auth/principal.js';
import { table } from '../format.js';
import { print, printJson, withApi } from '../run.js';

const t = (iso: string | null) => (iso ? iso.replace('.000Z', 'Z') : '-');
const row = (k: ApiKeyView) => [k.prefix, k.name, k.role, k.revoked_at ? 'revoked' : 'active', t(k.created_at), t(k.last_used_at), k.created_by, k.id];

/** `ffe apikey ...`: API keys for `ffe serve` (ffe-ctl, scripts); the key itself is printed once, only its hash is kept. */
export function registerApiKey(program: Command): void {
  const apikey = program.command('apikey').description('API keys of `ffe serve` (send as `Authorization: Bearer <key>`)');

  apikey
    .command('create')
    .description('create an API key and print it once')
    .requiredOption('--name <name>', 'what the key is for (ci-bot, grafana...)')
    .requiredOption('--role <role>', 'viewer, analyst, trader, operator, admin or auditor')
    .option('--json', 'print JSON')
    .action(async (o: { name: string; role: string; json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const k = await api.auth.createApiKey({ name: o.name, role: o.role }, LOCAL_OPERATOR);
        if (o.json) return printJson(k);
        print(`created API key ${k.prefix} "${k.name}" (${k.role})\nkey: ${k.key}\n(shown once: it will not be shown again; store it now)`);
      });
    });

  apikey
    .command('list')
    .description('list API keys by their visible prefix (never the keys)')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const list = await api.auth.listApiKeys();
        if (o.json) return printJson(list);
        if (!list.length) return print('no API keys; create one with `ffe apikey create --name N --role R`');
        print(table(['prefix', 'name', 'role', 'state', 'created', 'last used', 'by', 'id'], list.map(row)));
      });
    });

  apikey
    .command('revoke <id>')
    .description('revoke an API key by id or prefix (ffe_ab12cd34): refused from then on')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const k = await api.auth.revokeApiKey(id, LOCAL_OPERATOR);
        if (o.json) return printJson(k);
        print(`API key ${k.prefix} "${k.name}" revoked`);
      });
    });
}
