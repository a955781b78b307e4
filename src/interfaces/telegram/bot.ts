import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Bot, GrammyError, webhookCallback, type Context } from 'grammy';
import type { FfeApi } from '../../application/api.js';
import type { Principal } from '../../application/auth/principal.js';
import { can, type Permission, type Role } from '../../application/auth/roles.js';
import { NOTIFIED_EVENTS, notificationOf, notificationText, type Notification } from '../../application/notifications/model.js';
import { OutgoingQueue, type SendOutcome } from '../../application/notifications/outbox-queue.js';
import type { Config } from '../../application/types.js';
import type { DomainEvent } from '../../core/events.js';
import { FfeError } from '../../core/errors.js';
import { approvalCard, approvalKeyboard, decidedCard, parseCallback, recommendationCard } from './cards.js';
import { COMMANDS, HELP } from './commands.js';

type TelegramConfig = Config['telegram'];

/** One outgoing Bot API call; `onSent` gets Telegram's result (the card's message id). */
interface Outgoing {
  method: 'sendMessage' | 'editMessageText';
  payload: Record<string, unknown>;
  onSent?: (result: unknown) => void;
}

export interface TelegramBotOptions {
  /** Delay before the n-th retry when Telegram gave no retry_after (tests shorten it). */
  backoffMs?: (n: number) => number;
  maxAttempts?: number;
  /** How often pending approvals are looked at, so an expired one's card is closed without a tap (ms). */
  expirySweepMs?: number;
  log?: (msg: string) => void;
}

/** How a send failed: Telegram's 429 asks us to wait `retry_after` s; other 4xx will never succeed; the rest (5xx, network) retry. */
export function outcomeOf(e: unknown): SendOutcome {
  if (e instanceof GrammyError) {
    if (e.error_code === 429) return { ok: false, retryAfterMs: (e.parameters.retry_after ?? 1) * 1000 };
    if (e.error_code >= 400 && e.error_code < 500) return { ok: false, permanent: true };
  }
  return { ok: false };
}

/**
 * FFE's Telegram bot: approval cards with Approve / Reject, notifications, and a few commands.
 * A thin transport: every action is one FfeApi call made as the FFE user the Telegram account is
 * mapped to (so the use case checks, executes and audits it like any other caller). Everything
 * it sends goes through one bounded queue: Telegram being slow or down never blocks trading.
 */
export class TelegramBot {
  readonly bot: Bot;
  readonly queue: OutgoingQueue<Outgoing>;
  /** approval id → card message id; 'sending' until Telegram answered; 'final' once the card shows (or needs no longer) how it ended. */
  private readonly cards = new Map<string, number | 'sending' | 'final'>();
  private readonly stops: (() => void)[] = [];
  private webhookServer: Server | null = null;
  private readonly log: (msg: string) => void;

  constructor(
    private readonly api: FfeApi,
    private readonly c: TelegramConfig,
    private readonly o: TelegramBotOptions = {},
  ) {
    this.log = o.log ?? (() => undefined);
    this.bot = new Bot(c.bot_token, { client: { apiRoot: c.api_root.replace(/\/+$/, '') } });
    this.queue = new OutgoingQueue<Outgoing>(
      (m) => this.call(m),
      { max: c.queue_max, maxAttempts: o.maxAttempts ?? 10, backoffMs: o.backoffMs },
      (why, m) => this.log(`telegram: dropped a ${m.method} (${why}; ${this.queue.stats.dropped} dropped for overflow so far)`),
    );
    this.bot.catch((err) => this.log(`telegram: update ${err.ctx.update.update_id} failed: ${err.message}`));
    this.bot.on('callback_query:data', (ctx) => this.onTap(ctx));
    this.bot.command('help', (ctx) => this.reply(ctx, HELP));
    this.bot.command('start', (ctx) => this.reply(ctx, HELP));
    for (const [name, cmd] of Object.entries(COMMANDS)) this.bot.command(name, (ctx) => this.guarded(ctx, cmd.permission, async () => this.reply(ctx, await cmd.run(this.api))));
    this.bot.command('stop', (ctx) =>
      this.guarded(ctx, 'operate', async (p) => {
        const s = await this.api.bot.stop(p);
        await this.reply(ctx, `agent ${s.state} (stopped by ${p.name})`);
      }),
    );
    this.bot.command('emergency', (ctx) =>
      this.guarded(ctx, 'operate', () =>
        this.reply(ctx, 'Emergency stop: halt the agent now and refuse new orders until an admin clears it?', {
          reply_markup: {
            inline_keyboard: [
              [
                { text: '🛑 Confirm emergency stop', callback_data: 'em:yes' },
                { text: 'Cancel', callback_data: 'em:no' },
              ],
            ],
          },
        }),
      ),
    );
  }

  /** The Telegram account's FFE identity, or null when it is not configured. */
  principalOf(telegramId: number | undefined): Principal | null {
    const u = this.c.users.find((x) => x.telegram_id === telegramId);
    return u ? { kind: 'user', id: `telegram:${u.telegram_id}`, name: u.ffe_user, role: u.role as Role } : null;
  }

  /** Starts receiving updates (long polling, or the webhook listener) and sending cards and notifications. */
  async start(): Promise<{ webhookUrl: string | null }> {
    await this.bot.init();
    this.stops.push(this.api.events.subscribe((e) => void this.onEvent(e).catch((err: unknown) => this.log(`telegram: ${e.type} not sent: ${String(err)}`)), NOTIFIED_EVENTS));
    this.stops.push(this.api.events.subscribe((e) => void this.onRecommendation(e).catch((err: unknown) => this.log(`telegram: ${e.type} not sent: ${String(err)}`)), ['RecommendationCreated']));
    let webhookUrl: string | null = null;
    if (this.c.mode === 'webhook') {
      const handle = webhookCallback(this.bot, 'http', { secretToken: this.c.webhook_secret, onTimeout: 'return' });
      this.webhookServer = createServer((req, res) => {
        if (req.method !== 'POST') {
          res.writeHead(405).end();
          return;
        }
        void handle(req, res).catch(() => {
          if (!res.headersSent) res.writeHead(500).end();
        });
      });
      await new Promise<void>((r) => this.webhookServer!.listen(this.c.webhook_port, this.c.webhook_host, r));
      const a = this.webhookServer.address() as AddressInfo;
      webhookUrl = `http://${a.address}:${a.port}/`;
      if (this.c.webhook_url) await this.bot.api.setWebhook(this.c.webhook_url, { secret_token: this.c.webhook_secret, allowed_updates: ['message', 'callback_query'] });
    } else {
      // Not awaited: start() resolves only when polling stops. grammY retries a failing getUpdates itself.
      void this.bot.start({ allowed_updates: ['message', 'callback_query'], drop_pending_updates: false }).catch((e: unknown) => this.log(`telegram: polling stopped: ${String(e)}`));
    }
    // Cards for approvals that were already waiting when the bot started.
    for (const a of await this.api.trading.approvals.list('pending')) await this.card(a);
    const sweep = setInterval(() => void this.api.trading.approvals.list('pending').catch(() => undefined), this.o.expirySweepMs ?? 30_000);
    sweep.unref();
    this.stops.push(() => clearInterval(sweep));
    return { webhookUrl };
  }

  async stop(): Promise<void> {
    for (const s of this.stops.splice(0)) s();
    if (this.bot.isRunning()) await this.bot.stop().catch(() => undefined);
    if (this.webhookServer) await new Promise((r) => this.webhookServer!.close(r));
    this.queue.stop();
  }

  /** Sends a notification that is no domain event (the daily summary). */
  notify(n: Notification): void {
    this.send({ method: 'sendMessage', payload: { chat_id: this.c.chat_id, text: notificationText(n) } });
  }

  private send(m: Outgoing): void {
    this.queue.push(m);
  }

  private async call(m: Outgoing): Promise<SendOutcome> {
    try {
      const raw = this.bot.api.raw as unknown as Record<string, (p: Record<string, unknown>) => Promise<unknown>>;
      const result = await raw[m.method](m.payload);
      m.onSent?.(result);
      return { ok: true };
    } catch (e) {
      const out = outcomeOf(e);
      if (e instanceof GrammyError) this.log(`telegram: ${m.method} answered ${e.error_code} ${e.description}`);
      return out;
    }
  }

  private async onEvent(e: DomainEvent): Promise<void> {
    if (e.type === 'ApprovalRequested') {
      const a = e.payload as { approvalId: string; decisionId: string; pair: string; action: string; confidence: number; summary: string; expiresAt: number; size: number | null };
      await this.card({ id: a.approvalId, decisionId: a.decisionId, pair: a.pair, action: a.action as never, confidence: a.confidence, summary: a.summary, expiresAt: a.expiresAt, sizeUnits: a.size ?? undefined });
      return;
    }
    if (e.type === 'ApprovalDecided') {
      const id = String(e.payload.approvalId);
      const msg = this.cards.get(id);
      this.cards.set(id, 'final');
      if (typeof msg === 'number') this.send({ method: 'editMessageText', payload: { chat_id: this.c.chat_id, message_id: msg, text: decidedCard(e.payload as never), reply_markup: { inline_keyboard: [] } } });
      return;
    }
    const n = notificationOf(e);
    if (n) this.notify(n);
  }

  /**
   * A new recommendation goes to the Telegram accounts mapped to its owner (their private chat,
   * not the shared one), and only while the owner consents to `telegram_recommendations`.
   */
  private async onRecommendation(e: DomainEvent): Promise<void> {
    const accounts = this.c.users.filter((u) => `user:${u.ffe_user}` === e.payload.owner);
    if (!accounts.length || !(await this.api.investor.consents.granted(String(e.payload.owner), 'telegram_recommendations'))) return;
    const r = await this.api.investor.recommendations.get(this.principalOf(accounts[0].telegram_id)!, String(e.payload.id));
    for (const u of accounts) this.send({ method: 'sendMessage', payload: { chat_id: u.telegram_id, text: recommendationCard(r) } });
  }

  private async card(a: { id: string; decisionId: string; pair: string; action: never | string; confidence: number; summary: string; expiresAt: number; sizeUnits?: number }): Promise<void> {
    if (this.cards.has(a.id)) return;
    this.cards.set(a.id, 'sending');
    const d = await this.api.trading.decision(a.decisionId).catch(() => null);
    this.send({
      method: 'sendMessage',
      payload: { chat_id: this.c.chat_id, text: approvalCard(a as never, d), reply_markup: approvalKeyboard(a.id) },
      onSent: (r) => {
        // Decided while the card was on its way: the event found no card to edit, so show the end now.
        if (this.cards.get(a.id) === 'final') void this.closeCard(a.id, (r as { message_id: number }).message_id);
        else this.cards.set(a.id, (r as { message_id: number }).message_id);
      },
    });
  }

  /** Edits a card to how its approval ended (a tap on one decided elsewhere or expired). */
  private async closeCard(id: string, messageId: number): Promise<void> {
    const a = (await this.api.trading.approvals.list()).find((x) => x.id === id);
    if (!a || a.status === 'pending') return;
    this.cards.set(id, 'final');
    this.send({ method: 'editMessageText', payload: { chat_id: this.c.chat_id, message_id: messageId, text: decidedCard({ ...a, approvalId: a.id, by: null }), reply_markup: { inline_keyboard: [] } } });
  }

  private async reply(ctx: Context, text: string, extra: Record<string, unknown> = {}): Promise<void> {
    this.send({ method: 'sendMessage', payload: { chat_id: ctx.chat!.id, text, ...extra } });
  }

  /** Runs `fn` as the mapped FFE user when the role holds `permission`; says why not otherwise. */
  private async guarded(ctx: Context, permission: Permission, fn: (p: Principal) => Promise<void>): Promise<void> {
    const p = this.principalOf(ctx.from?.id);
    if (!p) {
      this.log(`telegram: refused ${ctx.from?.id ?? 'unknown'} (not a configured user)`);
      return this.reply(ctx, 'You are not authorised to use this bot.');
    }
    if (!can(p.role, permission)) return this.reply(ctx, `Your role (${p.role}) does not allow that (needs ${permission}).`);
    try {
      await fn(p);
    } catch (e) {
      await this.reply(ctx, `Failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async answer(ctx: Context, text: string): Promise<void> {
    // Answered directly, not queued: Telegram stops the button's spinner only when answered promptly.
    await ctx.answerCallbackQuery({ text: text.slice(0, 200) }).catch(() => undefined);
  }

  private async onTap(ctx: Context): Promise<void> {
    const cb = parseCallback(ctx.callbackQuery?.data);
    if (!cb) return this.answer(ctx, 'Unknown button.');
    const p = this.principalOf(ctx.from?.id);
    if (!p) {
      this.log(`telegram: refused a button from ${ctx.from?.id ?? 'unknown'} (not a configured user)`);
      return this.answer(ctx, 'You are not authorised to act on this bot.');
    }
    const messageId = ctx.callbackQuery?.message?.message_id;
    if (cb.kind === 'emergency') {
      if (!can(p.role, 'operate')) return this.answer(ctx, `Your role (${p.role}) cannot emergency-stop.`);
      if (!cb.confirm) {
        await this.answer(ctx, 'Cancelled.');
        if (messageId) this.send({ method: 'editMessageText', payload: { chat_id: ctx.chat!.id, message_id: messageId, text: 'Emergency stop cancelled.', reply_markup: { inline_keyboard: [] } } });
        return;
      }
      try {
        await this.api.bot.emergencyStop({ reason: `emergency stop from Telegram by ${p.name}` }, p);
        await this.answer(ctx, 'Emergency stop done.');
        if (messageId) this.send({ method: 'editMessageText', payload: { chat_id: ctx.chat!.id, message_id: messageId, text: `🛑 Emergency stop by ${p.name}.`, reply_markup: { inline_keyboard: [] } } });
      } catch (e) {
        await this.answer(ctx, `Failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      return;
    }
    if (!can(p.role, 'trade')) return this.answer(ctx, `Your role (${p.role}) cannot approve or reject.`);
    try {
      const r = await this.api.trading.approvals.decide(cb.id, cb.approve ? 'approved' : 'rejected', 'via Telegram', p);
      await this.answer(ctx, cb.approve ? 'Approved.' : 'Rejected.');
      const outcome = r.result ? `: ${r.result.status}${r.result.orders.length ? `, ${r.result.orders.map((o) => `${o.side} ${o.filledUnits || o.units} ${o.pair} ${o.state}`).join('; ')}` : ''}` : '';
      this.send({ method: 'sendMessage', payload: { chat_id: this.c.chat_id, text: `${cb.approve ? 'Approved' : 'Rejected'} by ${p.name}: ${r.approval.summary}${outcome}` } });
    } catch (e) {
      // Expired, already decided (a double tap), or the order failed: say so; the use case did nothing it should not have.
      await this.answer(ctx, e instanceof FfeError ? e.message : `Failed: ${String(e)}`);
      if (e instanceof FfeError && e.code.startsWith('APPROVAL_') && messageId && this.cards.get(cb.id) !== 'final') await this.closeCard(cb.id, messageId);
      else if (!(e instanceof FfeError && e.code.startsWith('APPROVAL_')))
        this.send({ method: 'sendMessage', payload: { chat_id: this.c.chat_id, text: `Approval ${cb.id} failed: ${e instanceof Error ? e.message : String(e)}` } });
    }
  }
}
