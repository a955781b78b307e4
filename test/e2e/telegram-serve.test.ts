import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOOD_ANSWER, startFakeOpenAi } from '../fakes/openai-server.js';
import { FakeTelegramApi } from '../fakes/telegram-api.js';
import { tempCwd } from '../support/cli.js';
import { call, createKey, startServe, type Served } from '../support/serve.js';

const TRADER = 4242;
const STRANGER = 5151;
const CHAT = 777;

interface BotServe {
  fake: FakeTelegramApi;
  s: Served;
  /** An operator API key made through the CLI once serve was up. */
  op: string;
}

/**
 * The setup both tests share: a fake Bot API, a fresh cwd whose config.yaml is `config` followed by the telegram
 * block (the fake's token and api_root, CHAT, TRADER mapped to alice as trader), `ffe serve` started there and seen
 * long polling, and an operator key. After `body` it checks the bot token never reached serve's log, SIGTERMs serve
 * (which must exit 0) and closes the fake.
 */
async function withTelegramServe(prefix: string, config: string, body: (t: BotServe) => Promise<void>): Promise<void> {
  const fake = await new FakeTelegramApi().start();
  try {
    const cwd = tempCwd(prefix);
    mkdirSync(join(cwd, 'config'));
    writeFileSync(
      join(cwd, 'config/config.yaml'),
      `${config}telegram:
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
      await body({ fake, s, op });
      // The bot token never reaches the service's log.
      expect(s.stderr()).not.toContain(fake.token);
    } finally {
      s.child.kill('SIGTERM');
      expect(await s.exited).toBe(0);
    }
  } finally {
    await fake.close();
  }
}

describe('ffe serve with a Telegram bot (built CLI, fake Bot API)', () => {
  it('serve starts the bot on the configured api_root: long polling, commands answered as the mapped user, strangers refused, agent notifications reach the chat, SIGTERM stops it', async () => {
    await withTelegramServe(
      'ffe-telegram-e2e-',
      `agent:
  approval: manual
`,
      async ({ fake, s, op }) => {
        expect(fake.callsOf('getMe')).toHaveLength(1);
        fake.push(fake.textUpdate(TRADER, '/status'));
        fake.push(fake.textUpdate(STRANGER, '/status'));
        await fake.waitFor(() => [...fake.messages.values()].find((m) => m.chat_id === TRADER && m.text.startsWith('agent:')), 30_000, '/status answer');
        await fake.waitFor(() => [...fake.messages.values()].find((m) => m.chat_id === STRANGER && /not authorised/.test(m.text)), 30_000, 'stranger refused');
        expect((await call(s.url, '/api/v1/bot/start', { key: op, method: 'POST', body: { asset_pairs: ['ETHUSD'], dry_run: true } })).status).toBe(200);
        await fake.waitFor(() => [...fake.messages.values()].find((m) => m.chat_id === CHAT && m.text.startsWith('Agent STARTUP')), 60_000, 'the agent start notification');
      },
    );
  }, 180_000);

  it('an approval the agent inside serve queued arrives as a card; Approve executes it through the order path and closes the card', async () => {
    // Confident enough for the gate's volatile-market floor (80 %) on the bundled ETHUSD data.
    const llm = await startFakeOpenAi({ answer: { ...GOOD_ANSWER, confidence: 90 } });
    try {
      await withTelegramServe(
        'ffe-telegram-approve-',
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
`,
        async ({ fake, s, op }) => {
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
        },
      );
    } finally {
      await llm.close();
    }
  }, 240_000);
});
