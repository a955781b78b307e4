import type { Command } from 'commander';
import { table } from '../format.js';
import { print, printJson, withApi } from '../run.js';

/** `ffe keys rotate`: the key encrypting personal fields and stored credentials at rest (FFE_ENCRYPTION_KEY). */
export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('the encryption key of personal fields and stored credentials at rest (FFE_ENCRYPTION_KEY)');
  keys
    .command('rotate')
    .description('re-encrypt every encrypted field with FFE_ENCRYPTION_KEY (old key in FFE_ENCRYPTION_KEY_PREVIOUS), and encrypt plain ones; one transaction')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const r = await api.gdpr.rotateKeys();
        if (o.json) return printJson(r);
        print(
          table(
            ['field', 're-encrypted', 'already current'],
            r.columns.map((c) => [c.field, String(c.resealed), String(c.already_current)]),
          ),
        );
        print(`${r.resealed} value${r.resealed === 1 ? '' : 's'} re-encrypted with key ${r.key_id}; FFE_ENCRYPTION_KEY_PREVIOUS can be removed now`);
      });
    });
  keys
    .command('seal <path>')
    .description(
      'encrypt a secret setting (the value on standard input) for a config file or secret store, e.g. `printf %s "$SECRET" | ffe keys seal venues.coinbase.api_secret`; the loader opens it with FFE_ENCRYPTION_KEY',
    )
    .action(async (path: string) => {
      const { sealConfigSecret } = await import('../../../application/gdpr/keys.js');
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      print(sealConfigSecret(path, Buffer.concat(chunks).toString('utf8'), process.env));
    });
}
