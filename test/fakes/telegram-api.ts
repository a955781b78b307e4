/**
 * A fake Telegram Bot API on 127.0.0.1:0 (grammY's `client.apiRoot` points at it). It speaks the
 * Bot API's envelope: `{ok: true, result}` on success, `{ok: false, error_code, description,
 * parameters?: {retry_after}}` on failure (429 "Too Many Requests: retry after N" included). It
 * records every call, queues updates for `getUpdates` long polling (held open until an update
 * arrives or the poll's `timeout` passes), and can POST updates to a webhook as Telegram does.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface TelegramCall {
  method: string;
  payload: Record<string, any>;
  at: number;
  /** HTTP status the fake answered with. */
  status: number;
}

export interface SentMessage {
  message_id: number;
  chat_id: number | string;
  text: string;
  reply_markup?: any;
  edits: number;
}

const BOT_USER = { id: 7_000_000_001, is_bot: true, first_name: 'FFE test', username: 'ffe_test_bot', can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };

export class FakeTelegramApi {
  readonly calls: TelegramCall[] = [];
  readonly messages = new Map<number, SentMessage>();
  private updates: any[] = [];
  private nextUpdateId = 100;
  private nextMessageId = 1;
  private nextQueryId = 1;
  private waiters: (() => void)[] = [];
  private limit: { left: number; retryAfter: number; methods: Set<string> | null } | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly server = createServer((req, res) => void this.handle(req, res));
  url = '';

  constructor(readonly token = '123456:TEST-token-abcdefghijklmnop') {
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const w of this.waiters.splice(0)) w();
    for (const s of this.sockets) s.destroy();
    await new Promise((r) => this.server.close(r));
  }

  /** The next `count` calls (of `methods`, or any but getUpdates) answer 429 with `retry_after` seconds. */
  rateLimit(count: number, retryAfter: number, methods?: string[]): void {
    this.limit = { left: count, retryAfter, methods: methods ? new Set(methods) : null };
  }

  callsOf(method: string): TelegramCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Queues an update for getUpdates; returns it (with its update_id). */
  push(update: Record<string, unknown>): any {
    const u = { update_id: this.nextUpdateId++, ...update };
    this.updates.push(u);
    for (const w of this.waiters.splice(0)) w();
    return u;
  }

  /** A button press on `messageId` by Telegram user `fromId`. */
  tapUpdate(fromId: number, data: string, messageId: number): Record<string, unknown> {
    const m = this.messages.get(messageId);
    const chatId = m ? Number(m.chat_id) : fromId;
    return {
      callback_query: {
        id: String(this.nextQueryId++),
        from: { id: fromId, is_bot: false, first_name: `user${fromId}` },
        message: { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private' }, text: m?.text ?? '' },
        chat_instance: `ci-${chatId}`,
        data,
      },
    };
  }

  /** A text message (a command) from Telegram user `fromId` in their private chat. */
  textUpdate(fromId: number, text: string): Record<string, unknown> {
    const command = /^\/\w+/.exec(text);
    return {
      message: {
        message_id: this.nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        from: { id: fromId, is_bot: false, first_name: `user${fromId}` },
        chat: { id: fromId, type: 'private', first_name: `user${fromId}` },
        text,
        ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}),
      },
    };
  }

  tap(fromId: number, data: string, messageId: number): any {
    return this.push(this.tapUpdate(fromId, data, messageId));
  }

  /** POSTs an update to a webhook as Telegram does (with the secret token header when given); returns the status. */
  async postWebhook(url: string, update: Record<string, unknown>, secret?: string): Promise<number> {
    const u = { update_id: this.nextUpdateId++, ...update };
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(secret !== undefined ? { 'x-telegram-bot-api-secret-token': secret } : {}) }, body: JSON.stringify(u) });
    await res.arrayBuffer();
    return res.status;
  }

  /** Resolves once `pred` holds (checked on every call and every 50 ms); rejects after `ms`. */
  async waitFor<T>(pred: () => T | undefined | null | false, ms = 20_000, what = 'condition'): Promise<T> {
    const t0 = Date.now();
    for (;;) {
      const v = pred();
      if (v) return v;
      if (Date.now() - t0 > ms)
        throw new Error(`fake Telegram: timed out waiting for ${what}; calls: ${this.calls.map((c) => `${c.method}:${c.status}`).join(', ')}; messages: ${JSON.stringify([...this.messages.values()].map((m) => m.text))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private reply(res: ServerResponse, call: TelegramCall, status: number, body: unknown): void {
    call.status = status;
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  private fail(res: ServerResponse, call: TelegramCall, code: number, description: string, parameters?: Record<string, unknown>): void {
    this.reply(res, call, code, { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString();
    const m = /^\/bot([^/]+)\/(\w+)/.exec(req.url ?? '');
    let payload: Record<string, any> = {};
    try {
      payload = raw ? (JSON.parse(raw) as Record<string, any>) : {};
    } catch {
      payload = {};
    }
    const call: TelegramCall = { method: m?.[2] ?? '?', payload, at: Date.now(), status: 0 };
    this.calls.push(call);
    if (!m) return this.fail(res, call, 404, 'Not Found');
    if (m[1] !== this.token) return this.fail(res, call, 401, 'Unauthorized');
    const method = m[2];
    if (this.limit && this.limit.left > 0 && method !== 'getUpdates' && (!this.limit.methods || this.limit.methods.has(method))) {
      this.limit.left--;
      return this.fail(res, call, 429, `Too Many Requests: retry after ${this.limit.retryAfter}`, { retry_after: this.limit.retryAfter });
    }
    switch (method) {
      case 'getMe':
        return this.reply(res, call, 200, { ok: true, result: BOT_USER });
      case 'deleteWebhook':
      case 'setWebhook':
      case 'setMyCommands':
      case 'answerCallbackQuery':
        return this.reply(res, call, 200, { ok: true, result: true });
      case 'getUpdates':
        return this.getUpdates(req, res, call);
      case 'sendMessage': {
        if (payload.chat_id === undefined || payload.chat_id === null) return this.fail(res, call, 400, 'Bad Request: chat_id is empty');
        if (typeof payload.text !== 'string' || !payload.text.trim()) return this.fail(res, call, 400, 'Bad Request: message text is empty');
        const id = this.nextMessageId++;
        this.messages.set(id, { message_id: id, chat_id: payload.chat_id, text: payload.text, reply_markup: payload.reply_markup, edits: 0 });
        return this.reply(res, call, 200, { ok: true, result: this.message(id) });
      }
      case 'editMessageText': {
        const msg = this.messages.get(Number(payload.message_id));
        if (!msg) return this.fail(res, call, 400, 'Bad Request: message to edit not found');
        if (msg.text === payload.text && JSON.stringify(msg.reply_markup ?? null) === JSON.stringify(payload.reply_markup ?? null)) {
          return this.fail(res, call, 400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
        }
        msg.text = String(payload.text);
        msg.reply_markup = payload.reply_markup;
        msg.edits++;
        return this.reply(res, call, 200, { ok: true, result: this.message(msg.message_id) });
      }
      default:
        return this.fail(res, call, 404, 'Not Found: method not found');
    }
  }

  private message(id: number) {
    const m = this.messages.get(id)!;
    return { message_id: id, from: BOT_USER, chat: { id: m.chat_id, type: 'private' }, date: Math.floor(Date.now() / 1000), text: m.text, ...(m.reply_markup ? { reply_markup: m.reply_markup } : {}) };
  }

  private async getUpdates(req: IncomingMessage, res: ServerResponse, call: TelegramCall): Promise<void> {
    const offset = Number(call.payload.offset ?? 0);
    // Telegram forgets updates below the offset: they were confirmed.
    this.updates = this.updates.filter((u) => u.update_id >= offset);
    const timeoutMs = Math.min(Number(call.payload.timeout ?? 0), 30) * 1000;
    if (!this.updates.length && timeoutMs > 0) {
      await new Promise<void>((r) => {
        const t = setTimeout(r, timeoutMs);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
        req.socket.once('close', () => {
          clearTimeout(t);
          r();
        });
      });
    }
    const limit = Number(call.payload.limit ?? 100);
    this.reply(res, call, 200, { ok: true, result: this.updates.slice(0, limit) });
  }
}
