import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeTelegramApi } from '../fakes/telegram-api.js';
import { tempCwd } from '../support/cli.js';
import { call, createKey, startServe } from '../support/serve.js';

const TRADER = 4242;
const STRANGER = 5151;
const CHAT = 777;

describe('ffe serve with a Telegram bot (built CLI, fake Bot API)', () => {
  it('serve starts the bot on the configured api_root: long polling, commands answered as the mapped user, strangers refused, agent notifications reach the chat, SIGTERM stops it', async () => {
    const fake = await new FakeTelegramApi().start();
    const cwd = tempCwd('ffe-telegram-e2e-');
    mkdirSync(join(cwd, 'config'));
    writeFileSync(
      join(cwd, 'config/config.yaml'),
      `agent:
  approval: manual
telegram:
  bot_token: "${fake.token}"
  api_root: "${fake.url}"
  chat_id: ${CHAT}
  users:
    - telegram_id: ${TRADER}
      ffe_user: alice
      role: trader
`,
    );
    const s = await startServe(cwd);
    try {
      await fake.waitFor(() => fake.callsOf('getUpdates').length > 0, 30_000, 'long polling');
      expect(fake.callsOf('getMe')).toHaveLength(1);
      fake.push(fake.textUpdate(TRADER, '/status'));
      fake.push(fake.textUpdate(STRANGER, '/status'));
      await fake.waitFor(() => [...fake.messages.values()].find((m) => m.chat_id === TRADER && m.text.startsWith('agent:')), 30_000, '/status answer');
      await fake.waitFor(() => [...fake.messages.values()].find((m) => m.chat_id === STRANGER && /not authorised/.test(m.text)), 30_000, 'stranger refused');
      const op = await createKey(cwd, 'operator');
      expect((await call(s.url, '/api/v1/bot/start', { key: op, method: 'POST', body: { asset_pairs: ['ETHUSD'], dry_run: true } })).status).toBe(200);
      await fake.waitFor(() => [...fake.messages.values()].find((m) => m.chat_id === CHAT && m.text.startsWith('Agent STARTUP')), 60_000, 'the agent start notification');
      // The bot token never reaches the service's log.
      expect(s.stderr()).not.toContain(fake.token);
    } finally {
      s.child.kill('SIGTERM');
      expect(await s.exited).toBe(0);
      await fake.close();
    }
  }, 180_000);
});
