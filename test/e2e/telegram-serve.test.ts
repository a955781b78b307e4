import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOOD_ANSWER, startFakeOpenAi } from '../fakes/openai-server.js';
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

  it('an approval the agent inside serve queued arrives as a card; Approve executes it through the order path and closes the card', async () => {
    const fake = await new FakeTelegramApi().start();
    // Confident enough for the gate's volatile-market floor (80 %) on the bundled ETHUSD data.
    const llm = await startFakeOpenAi({ answer: { ...GOOD_ANSWER, confidence: 90 } });
    const cwd = tempCwd('ffe-telegram-approve-');
    mkdirSync(join(cwd, 'config'));
    writeFileSync(
      join(cwd, 'config/config.yaml'),
      `data:
  freshness:
    crypto:
      stale_minutes: null
providers:
  gpt:
    kind: openai
    model: m
    base_url: ${llm.url}/v1
agent:
  provider: gpt
  approval: manual
  interval_seconds: 3600
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
      const op = await createKey(cwd, 'operator');
      expect((await call(s.url, '/api/v1/bot/start', { key: op, method: 'POST', body: { asset_pairs: ['ETHUSD'] } })).status).toBe(200);
      const card = await fake.waitFor(() => [...fake.messages.values()].find((m) => m.chat_id === CHAT && m.reply_markup?.inline_keyboard?.length), 90_000, 'the approval card');
      expect(card.text).toContain('ETHUSD');
      expect(card.text).toContain('BUY');
      const data = card.reply_markup.inline_keyboard[0][0].callback_data as string;
      expect(data).toMatch(/^ap:\w+:a$/);
      fake.tap(TRADER, data, card.message_id);
      await fake.waitFor(() => card.text.startsWith('✅ APPROVED'), 60_000, 'the card edited to approved');
      const outcome = await fake.waitFor(() => [...fake.messages.values()].find((m) => m.text.startsWith('Approved by alice')), 60_000, 'the outcome message');
      expect(outcome.text).toContain('filled');
      const approvals = (await call(s.url, '/api/v1/approvals', { key: op })).body as { approvals: { status: string }[] };
      expect(approvals.approvals.map((a) => a.status)).toContain('approved');
      const positions = await call(s.url, '/api/v1/bot/positions', { key: op });
      expect(JSON.stringify(positions.body)).toContain('ETHUSD');
      expect(s.stderr()).not.toContain(fake.token);
    } finally {
      s.child.kill('SIGTERM');
      expect(await s.exited).toBe(0);
      await fake.close();
      await llm.close();
    }
  }, 240_000);
});
