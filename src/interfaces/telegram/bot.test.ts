import { afterEach, describe, expect, it } from 'vitest';
import { FfeApi } from '../../application/api.js';
import type { Config } from '../../application/types.js';
import type { DomainEvent } from '../../core/events.js';
import { FakeTelegramApi } from '../../../test/fakes/telegram-api.js';
import { configHome } from '../../../test/support/config-home.js';
import { TelegramBot } from './bot.js';
import { approveData, rejectData } from './cards.js';

/** One 60 %-of-equity ETHUSD position passes these limits (the offline sample makes ETHUSD a SELL). */
const config = (ttlSeconds = 900) => `
agent:
  approval: manual
  approval_ttl_seconds: ${ttlSeconds}
risk:
  max_concentration: 0.9
  max_leverage: 1
  var_limit: 0.9
`;

const CHAT = 555;
const TRADER = 1001;
const VIEWER = 1002;
const STRANGER = 9999;
const OPERATOR = 1003;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setup(o: { ttlSeconds?: number; mode?: 'polling' | 'webhook'; queueMax?: number } = {}) {
  const fake = await new FakeTelegramApi().start();
  cleanups.push(() => fake.close());
  const api = await FfeApi.open(configHome(config(o.ttlSeconds), 'ffe-telegram-'));
  cleanups.push(() => api.close());
  const events: DomainEvent[] = [];
  api.events.subscribe((e) => events.push(e));
  const tg: Config['telegram'] = {
    bot_token: fake.token,
    chat_id: CHAT,
    users: [
      { telegram_id: TRADER, ffe_user: 'alice', role: 'trader' },
      { telegram_id: VIEWER, ffe_user: 'victor', role: 'viewer' },
      { telegram_id: OPERATOR, ffe_user: 'olga', role: 'operator' },
    ],
    mode: o.mode ?? 'polling',
    webhook_secret: o.mode === 'webhook' ? 'hook-secret-123' : '',
    webhook_url: null,
    webhook_host: '127.0.0.1',
    webhook_port: 0,
    api_root: fake.url,
    daily_summary_at: null,
    queue_max: o.queueMax ?? 500,
  };
  const logs: string[] = [];
  const bot = new TelegramBot(api, tg, { backoffMs: () => 50, log: (m) => logs.push(m), expirySweepMs: 200 });
  const started = await bot.start();
  cleanups.push(() => bot.stop());
  return { fake, api, bot, events, logs, webhookUrl: started.webhookUrl };
}

/** Queues an approval of a fresh SELL ETHUSD decision; resolves with it and its card's message id. */
async function pendingWithCard(s: Awaited<ReturnType<typeof setup>>) {
  const { decision } = await s.api.trading.analyze('ETHUSD');
  const approval = await s.api.runtime.app.feedback.approvals.enqueue(decision);
  const card = await s.fake.waitFor(() => [...s.fake.messages.values()].find((m) => m.text.includes(approval.id) && m.reply_markup?.inline_keyboard?.length), 20_000, 'the approval card');
  return { decision, approval, card };
}

const auditOf = async (api: FfeApi) => (await api.audit.list({ limit: 50 })).entries as { action: string; actor: string; result: string }[];

describe('Telegram approvals against a fake Bot API (long polling)', () => {
  it('a card shows pair, action, size and value, confidence, reasoning, votes, risk and expiry; Approve executes through the use case (audited as the mapped user), posts the outcome and closes the card', async () => {
    const s = await setup();
    const { approval, card } = await pendingWithCard(s);
    expect(card.chat_id).toBe(CHAT);
    for (const part of ['SELL', 'ETHUSD', 'size:', 'confidence:', 'reasoning:', 'votes:', 'risk:', 'expires:']) expect(card.text).toContain(part);
    expect(card.reply_markup.inline_keyboard[0].map((b: { callback_data: string }) => b.callback_data)).toEqual([approveData(approval.id), rejectData(approval.id)]);

    s.fake.tap(TRADER, approveData(approval.id), card.message_id);
    await s.fake.waitFor(() => card.text.startsWith('✅ APPROVED'), 20_000, 'the card edited to approved');
    expect(card.text).toContain('by user:alice');
    expect(card.reply_markup.inline_keyboard).toEqual([]);
    const outcome = await s.fake.waitFor(() => [...s.fake.messages.values()].find((m) => m.text.startsWith('Approved by alice')), 20_000, 'the outcome message');
    expect(outcome.text).toContain('filled');
    expect(s.fake.callsOf('answerCallbackQuery').at(-1)!.payload.text).toBe('Approved.');
    expect((await s.api.trading.approvals.list()).find((a) => a.id === approval.id)!.status).toBe('approved');
    expect(s.events.filter((e) => e.type === 'ApprovalDecided').map((e) => e.payload.by)).toEqual(['user:alice']);
    const audit = await auditOf(s.api);
    expect(audit.find((x) => x.action === 'approval.approve')).toMatchObject({ actor: 'user:alice', result: 'ok' });
    // The fill is a notification too.
    await s.fake.waitFor(() => [...s.fake.messages.values()].find((m) => /^Filled: sell/i.test(m.text)), 20_000, 'the fill notification');
  });

  it('Reject rejects (no order), and a second tap on the same card says it was already decided and does nothing', async () => {
    const s = await setup();
    const { approval, card } = await pendingWithCard(s);
    s.fake.tap(TRADER, rejectData(approval.id), card.message_id);
    await s.fake.waitFor(() => card.text.startsWith('❌ REJECTED'), 20_000, 'the card edited to rejected');
    s.fake.tap(TRADER, approveData(approval.id), card.message_id);
    await s.fake.waitFor(() => s.fake.callsOf('answerCallbackQuery').length >= 2, 20_000, 'the second answer');
    expect(s.fake.callsOf('answerCallbackQuery')[1].payload.text).toMatch(/is rejected/);
    expect((await s.api.trading.approvals.list()).find((a) => a.id === approval.id)!.status).toBe('rejected');
    expect(s.events.filter((e) => e.type === 'OrderSubmitted')).toHaveLength(0);
    expect(s.events.filter((e) => e.type === 'ApprovalDecided')).toHaveLength(1);
  });

  it('double Approve: the order executes once; the second tap is told it is already approved', async () => {
    const s = await setup();
    const { approval, card } = await pendingWithCard(s);
    s.fake.tap(TRADER, approveData(approval.id), card.message_id);
    s.fake.tap(TRADER, approveData(approval.id), card.message_id);
    await s.fake.waitFor(() => s.fake.callsOf('answerCallbackQuery').length >= 2, 20_000, 'both answers');
    const answers = s.fake.callsOf('answerCallbackQuery').map((c) => String(c.payload.text));
    expect(answers.filter((t) => t === 'Approved.')).toHaveLength(1);
    expect(answers.some((t) => /already|is approved|decided/.test(t))).toBe(true);
    expect(s.events.filter((e) => e.type === 'OrderSubmitted' && e.payload.decisionId === approval.decisionId)).toHaveLength(1);
  });

  it('a tap after expiry says it expired, executes nothing, and the card shows EXPIRED', async () => {
    const s = await setup({ ttlSeconds: 1 });
    const { approval, card } = await pendingWithCard(s);
    await new Promise((r) => setTimeout(r, 1500));
    s.fake.tap(TRADER, approveData(approval.id), card.message_id);
    await s.fake.waitFor(() => card.text.startsWith('⌛ EXPIRED'), 20_000, 'the card edited to expired');
    await s.fake.waitFor(() => s.fake.callsOf('answerCallbackQuery').length >= 1, 20_000, 'the answer');
    expect(String(s.fake.callsOf('answerCallbackQuery')[0].payload.text)).toMatch(/expired/);
    expect(s.events.filter((e) => e.type === 'OrderSubmitted')).toHaveLength(0);
    expect(s.events.find((e) => e.type === 'ApprovalDecided')!.payload).toMatchObject({ status: 'expired', by: 'system' });
  });

  it('an unknown Telegram account and a viewer are refused; nothing is decided; the card keeps its buttons', async () => {
    const s = await setup();
    const { approval, card } = await pendingWithCard(s);
    s.fake.tap(STRANGER, approveData(approval.id), card.message_id);
    s.fake.tap(VIEWER, approveData(approval.id), card.message_id);
    await s.fake.waitFor(() => s.fake.callsOf('answerCallbackQuery').length >= 2, 20_000, 'both answers');
    const answers = s.fake.callsOf('answerCallbackQuery').map((c) => String(c.payload.text));
    expect(answers[0]).toMatch(/not authorised/);
    expect(answers[1]).toMatch(/viewer.*cannot approve/);
    expect((await s.api.trading.approvals.list()).find((a) => a.id === approval.id)!.status).toBe('pending');
    expect(card.reply_markup.inline_keyboard).toHaveLength(1);
    expect(s.logs.some((l) => l.includes(String(STRANGER)))).toBe(true);
  });

  it('429 storm: every send is refused with retry_after 1 for a while; nothing is lost, the waits are honoured, trading is never blocked', async () => {
    const s = await setup();
    s.fake.rateLimit(6, 1, ['sendMessage', 'editMessageText']);
    const t0 = Date.now();
    const { decision } = await s.api.trading.analyze('ETHUSD');
    // Trading does not wait for Telegram: queuing the approval returns while the bot is being throttled.
    const approval = await s.api.runtime.app.feedback.approvals.enqueue(decision);
    for (let i = 0; i < 3; i++) s.bot.notify({ kind: 'agent', title: `storm note ${i}`, fields: [], at: Date.now(), seq: null });
    const card = await s.fake.waitFor(() => [...s.fake.messages.values()].find((m) => m.text.includes(approval.id)), 30_000, 'the card after the storm');
    await s.bot.queue.idle();
    const elapsed = Date.now() - t0;
    const refused = s.fake.calls.filter((c) => c.status === 429);
    expect(refused).toHaveLength(6);
    expect(s.bot.queue.stats.retries).toBe(6);
    // Six waits of retry_after = 1 s each, one after the other (one sender): at least ~6 s.
    expect(elapsed).toBeGreaterThanOrEqual(5_500);
    for (let i = 0; i < 3; i++) expect([...s.fake.messages.values()].some((m) => m.text === `storm note ${i}`)).toBe(true);
    expect(s.bot.queue.stats.dropped).toBe(0);
    expect(card).toBeTruthy();
    console.log(`429 storm: ${refused.length} refused, ${s.bot.queue.stats.sent} sent, ${s.bot.queue.stats.retries} retries, ${elapsed} ms`);
  }, 60_000);

  it('the queue is bounded: beyond queue_max the oldest messages are dropped and counted', async () => {
    const s = await setup({ queueMax: 3 });
    s.fake.rateLimit(1, 2, ['sendMessage']);
    for (let i = 0; i < 10; i++) s.bot.notify({ kind: 'agent', title: `note ${i}`, fields: [], at: Date.now(), seq: null });
    await s.bot.queue.idle();
    const texts = [...s.fake.messages.values()].map((m) => m.text);
    expect(s.bot.queue.stats.dropped).toBe(7);
    expect(texts).toContain('note 9');
    expect(texts).not.toContain('note 5');
  }, 30_000);

  it('commands: /status, /help; /emergency asks to confirm and trips the kill switch only on confirm; a viewer may not', async () => {
    const s = await setup();
    s.fake.push(s.fake.textUpdate(TRADER, '/status'));
    await s.fake.waitFor(() => [...s.fake.messages.values()].find((m) => m.chat_id === TRADER && m.text.startsWith('agent:')), 20_000, '/status answer');
    s.fake.push(s.fake.textUpdate(VIEWER, '/emergency'));
    await s.fake.waitFor(() => [...s.fake.messages.values()].find((m) => m.chat_id === VIEWER && /role \(viewer\)/.test(m.text)), 20_000, 'viewer refused');
    s.fake.push(s.fake.textUpdate(OPERATOR, '/emergency'));
    const ask = await s.fake.waitFor(() => [...s.fake.messages.values()].find((m) => m.chat_id === OPERATOR && m.text.startsWith('Emergency stop:')), 20_000, 'confirmation');
    expect((await s.api.bot.status()).kill_switch.tripped).toBe(false);
    s.fake.tap(OPERATOR, 'em:yes', ask.message_id);
    await s.fake.waitFor(() => ask.text.startsWith('🛑 Emergency stop by olga'), 20_000, 'confirmation edited');
    expect((await s.api.bot.status()).kill_switch.tripped).toBe(true);
    expect((await auditOf(s.api)).some((x) => x.actor === 'user:olga')).toBe(true);
    await s.fake.waitFor(() => [...s.fake.messages.values()].find((m) => m.chat_id === CHAT && m.text.startsWith('Kill switch tripped')), 20_000, 'kill switch notification');
  });
});

describe('Telegram webhook mode', () => {
  it('updates POSTed with the right secret token are acted on; a wrong or missing token is refused with 401 and does nothing', async () => {
    const s = await setup({ mode: 'webhook' });
    expect(s.webhookUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(s.fake.callsOf('getUpdates')).toHaveLength(0);
    const { approval, card } = await pendingWithCard(s);
    expect(await s.fake.postWebhook(s.webhookUrl!, s.fake.tapUpdate(TRADER, approveData(approval.id), card.message_id), 'wrong-secret')).toBe(401);
    expect(await s.fake.postWebhook(s.webhookUrl!, s.fake.tapUpdate(TRADER, approveData(approval.id), card.message_id))).toBe(401);
    expect((await s.api.trading.approvals.list()).find((a) => a.id === approval.id)!.status).toBe('pending');
    expect(await s.fake.postWebhook(s.webhookUrl!, s.fake.tapUpdate(TRADER, approveData(approval.id), card.message_id), 'hook-secret-123')).toBe(200);
    await s.fake.waitFor(() => card.text.startsWith('✅ APPROVED'), 20_000, 'card approved');
    expect((await s.api.trading.approvals.list()).find((a) => a.id === approval.id)!.status).toBe('approved');
  });
});

describe('Telegram delivery of daily recommendations', () => {
  it('a new recommendation goes to its owner’s own chat with the disclosure, only with the telegram_recommendations consent', async () => {
    const s = await setup();
    const alice = { kind: 'user' as const, id: 'u-a', name: 'alice', role: 'trader' as const };
    const victor = { kind: 'user' as const, id: 'u-v', name: 'victor', role: 'viewer' as const };
    const olga = { kind: 'user' as const, id: 'u-o', name: 'olga', role: 'operator' as const };
    for (const who of [alice, victor, olga]) await s.api.investor.watchlists.create(who, { name: 'w', pairs: ['ETHUSD'] });
    await s.api.investor.consents.set(alice, 'telegram_recommendations', true);
    // Olga consented, then withdrew: nothing goes to her.
    await s.api.investor.consents.set(olga, 'telegram_recommendations', true);
    await s.api.investor.consents.set(olga, 'telegram_recommendations', false);
    const { done } = await s.api.investor.recommendations.runNow();
    expect((await done).recommendations).toBe(3);
    const card = await s.fake.waitFor(() => [...s.fake.messages.values()].find((m) => m.text.includes('Daily recommendation')), 20_000, 'the recommendation card');
    expect(card.chat_id).toBe(TRADER);
    expect(card.text).toContain('ETHUSD');
    expect(card.text).toMatch(/not investment advice/);
    // Telegram sends in order: a message queued after the run's cards arrives after them, so by then none went elsewhere.
    s.bot.notify({ kind: 'summary', title: 'marker', fields: [], at: Date.now(), seq: null });
    await s.fake.waitFor(() => [...s.fake.messages.values()].find((m) => m.text.includes('marker')), 20_000, 'the marker');
    expect([...s.fake.messages.values()].filter((m) => m.text.includes('Daily recommendation')).map((m) => m.chat_id)).toEqual([TRADER]);
  }, 60_000);
});
